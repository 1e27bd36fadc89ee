/** Main-process check of a URL a page asks to open against the documentation allow-list. */
import { DOCUMENTATION_LINKS } from '../shared/externalLinks';

/** True only for an https URL, without credentials, under one of DOCUMENTATION_LINKS. */
export function isDocumentationLink(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  return DOCUMENTATION_LINKS.some(
    (link) =>
      url.origin === link.origin &&
      (url.pathname === link.pathPrefix.replace(/\/$/, '') || url.pathname.startsWith(link.pathPrefix)),
  );
}
