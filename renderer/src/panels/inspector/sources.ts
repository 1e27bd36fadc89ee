/**
 * Opening frame sources: files (images, a video, TuSimple label JSON) from a picker, a folder or
 * drag and drop, and the demo media folders. A folder is sorted as lane datasets lay it out
 * (shared/lanes/datasetFiles): frames open, masks beside them (`*_instance.png`, `gt_binary_image/`)
 * are skipped, and the TuSimple labels file beside the frames loads with them. Labels of the
 * previous source are dropped unless they label a frame of the new one (no stale labels chip).
 */
import { useApp } from '../../state/store';
import { errorText } from '../../lib/errors';
import { parseTusimpleJson, sortDatasetFiles, type TusimpleFrame } from '../../../../shared/lanes';
import type { FrameSource } from '../../state/inspector';
import { labelledCount } from './model';

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

/** A picked file's path inside its folder (webkitdirectory), else its name. */
const pathOf = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;

/**
 * Opens files as the frame source: a video, or the images as one sequence (masks skipped). Label
 * files among them (or given as `labels`, shown as `labelsName`) are read first and load with the
 * source; without any, labels already loaded stay only if they label a frame of the new source.
 * Nothing changes if a newer open began meanwhile (`ticket`: take it when the user acts).
 */
let latestOpen = 0;

/**
 * A ticket for one user action that opens a source. Opening reads files first (a demo file from the
 * services, the labels), so two opens close together can finish out of order; only the newest
 * action may change the source (a demo video clicked, then a folder picked at once: the folder).
 */
export function newOpenTicket(): number {
  return ++latestOpen;
}

export async function openFiles(
  files: File[],
  label?: string,
  labels: File[] = [],
  labelsName?: string,
  ticket: number = newOpenTicket(),
): Promise<void> {
  const st = useApp.getState();
  const kinds = sortDatasetFiles(files, pathOf);
  const labelFiles = [...labels, ...kinds.labels];
  // Files of a picker or a drop may carry only a MIME type.
  const video = kinds.video[0] ?? kinds.other.find((f) => f.type.startsWith('video/'));
  let source: FrameSource;
  if (video) {
    source = { kind: 'video', name: video.name, url: URL.createObjectURL(video), objectUrl: true, file: video };
  } else {
    const images = [...kinds.frame, ...kinds.other.filter((f) => f.type.startsWith('image/'))].sort((x, y) =>
      pathOf(x).localeCompare(pathOf(y), undefined, { numeric: true }),
    );
    if (!images.length) {
      if (labelFiles.length) return loadGt(labelFiles, labelsName);
      st.setSourceError(
        `None of ${files.length} file(s) is an image or a video (${files
          .slice(0, 3)
          .map((f) => f.name)
          .join(', ')}${files.length > 3 ? ', …' : ''})${kinds.mask.length ? `; ${kinds.mask.length} are masks` : ''}.`,
      );
      return;
    }
    const folder = pathOf(images[0]).includes('/') ? pathOf(images[0]).split('/')[0] : undefined;
    source = {
      kind: 'images',
      items: images.map((f) => ({ name: f.name, path: pathOf(f), blob: f })),
      label: label || folder || (images.length === 1 ? 'Image' : 'Images'),
      masksSkipped: kinds.mask.length || undefined,
    };
  }
  // The labels are read before the source changes, so no frame of it is drawn with the old ones.
  const gt = labelFiles.length ? await readGt(labelFiles, labelsName) : null;
  if (ticket !== latestOpen) {
    // A newer open has started: it decides the source.
    if (source.kind === 'video' && source.objectUrl) URL.revokeObjectURL(source.url);
    return;
  }
  st.setSource(source);
  if (gt) {
    st.setGt(gt.labels, gt.error);
    if (gt.labels) st.setLayers({ gt: true });
  } else if (st.gt && (source.kind === 'video' || labelledCount(st.gt, source) === 0)) {
    // Labels of another source: the chip would claim labels this source does not have.
    st.setGt(null);
  }
}

/**
 * The label files that parse, and what is wrong with the others: a folder's `meta.json` beside
 * TuSimple's `label_data_*.json` must not cost the user the labels that are there.
 */
async function readGt(
  files: File[],
  name?: string,
): Promise<{ labels: { name: string; frames: TusimpleFrame[] } | null; error: string | null }> {
  const frames: TusimpleFrame[] = [];
  const loaded: string[] = [];
  const errors: string[] = [];
  for (const f of files) {
    try {
      frames.push(...parseTusimpleJson(await f.text(), name ?? pathOf(f)));
      loaded.push(f.name);
    } catch (e) {
      errors.push(errorText(e));
    }
  }
  const error = errors.length
    ? loaded.length
      ? `not loaded (not TuSimple labels): ${errors.join('; ')}`
      : errors.join('; ')
    : null;
  return { labels: loaded.length ? { name: name ?? loaded.join(', '), frames } : null, error };
}

/** Loads TuSimple label files as the ground truth (a file that is not one is named with its line). */
export async function loadGt(files: File[], name?: string): Promise<void> {
  const st = useApp.getState();
  const { labels, error } = await readGt(files, name);
  st.setGt(labels, error);
  if (labels) st.setLayers({ gt: true });
}

/** Files dropped or picked together: label JSON files load as ground truth, the rest as frames. */
export function openMixed(files: File[]): void {
  void openFiles(files);
}
