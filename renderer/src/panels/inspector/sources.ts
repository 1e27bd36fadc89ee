/**
 * Opening frame sources: files (images, a video, TuSimple label JSON) from a picker, a folder or
 * drag and drop, and the demo media folders (a folder's labels go with its frames).
 */
import { useApp } from '../../state/store';
import { errorText } from '../../lib/errors';
import { parseTusimpleJson, type TusimpleFrame } from '../../../../shared/lanes';

const IMAGE_RE = /\.(png|jpe?g|webp|bmp|gif|avif)$/i;
const VIDEO_RE = /\.(webm|mp4|m4v|mov|mkv|ogv)$/i;

export type DemoMedia = { name: string; kind: string };
export interface DemoFolder {
  /** '' for files at the top of the demo media folder. */
  name: string;
  items: DemoMedia[];
  /** The folder's TuSimple labels file, if it has one. */
  labels?: string;
}

export function demoFolders(media: DemoMedia[]): DemoFolder[] {
  const byName = new Map<string, DemoFolder>();
  for (const m of media) {
    const name = m.name.includes('/') ? m.name.slice(0, m.name.lastIndexOf('/')) : '';
    const f = byName.get(name) ?? { name, items: [] };
    f.items.push(m);
    if (m.kind === 'labels' && !f.labels) f.labels = m.name;
    byName.set(name, f);
  }
  return [...byName.values()];
}

export function openFiles(files: File[], label?: string): void {
  const st = useApp.getState();
  const video = files.find((f) => VIDEO_RE.test(f.name) || f.type.startsWith('video/'));
  if (video) {
    st.setSource({ kind: 'video', name: video.name, url: URL.createObjectURL(video), objectUrl: true, file: video });
    return;
  }
  const images = files
    .filter((f) => IMAGE_RE.test(f.name) || f.type.startsWith('image/'))
    .sort((x, y) => x.name.localeCompare(y.name, undefined, { numeric: true }));
  if (!images.length) {
    st.setSourceError(
      `None of ${files.length} file(s) is an image or a video (${files
        .slice(0, 3)
        .map((f) => f.name)
        .join(', ')}${files.length > 3 ? ', …' : ''}).`,
    );
    return;
  }
  const folder = (images[0] as File & { webkitRelativePath?: string }).webkitRelativePath?.split('/')[0];
  st.setSource({
    kind: 'images',
    items: images.map((f) => ({ name: f.name, blob: f })),
    label: label || folder || (images.length === 1 ? 'Image' : 'Images'),
  });
}

export async function loadGt(files: File[], name?: string): Promise<void> {
  const st = useApp.getState();
  try {
    const frames: TusimpleFrame[] = [];
    for (const f of files) frames.push(...parseTusimpleJson(await f.text(), name ?? f.name));
    st.setGt({ name: name ?? files.map((f) => f.name).join(', '), frames });
    st.setLayers({ gt: true });
  } catch (e) {
    st.setGt(null, errorText(e));
  }
}

/** Files dropped or picked together: label JSON files load as ground truth, the rest as frames. */
export function openMixed(files: File[]): void {
  const json = files.filter((f) => f.name.endsWith('.json'));
  if (json.length) void loadGt(json);
  const rest = files.filter((f) => !f.name.endsWith('.json'));
  if (rest.length) openFiles(rest);
}
