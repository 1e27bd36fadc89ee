/**
 * The only web pages the desktop app opens in the user's browser (shell.openExternal): the
 * documentation the app links to. Anything else a page asks to open is refused, so a link planted
 * in a config comment, a model's metadata or an error text cannot launch arbitrary URLs or
 * protocol handlers. The renderer links to these; main checks every request against them.
 */

/** https origins and path prefixes of the documentation the app shows. */
export const DOCUMENTATION_LINKS: ReadonlyArray<{ origin: string; pathPrefix: string }> = [
  // Triton's user guide (model configuration, repository, protocol extensions)
  { origin: 'https://docs.nvidia.com', pathPrefix: '/deeplearning/triton-inference-server/' },
  // Triton's sources and docs on GitHub (server, core, common, client)
  { origin: 'https://github.com', pathPrefix: '/triton-inference-server/' },
  // ONNX operator reference and ONNX Runtime docs (the embedded server runs ONNX models)
  { origin: 'https://onnx.ai', pathPrefix: '/onnx/' },
  { origin: 'https://onnxruntime.ai', pathPrefix: '/docs/' },
  // The lane models the app decodes
  { origin: 'https://github.com', pathPrefix: '/lucastabelini/LaneATT/' },
];

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
