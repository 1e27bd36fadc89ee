/**
 * What each file of an opened folder is, by its path, for lane datasets laid out as TuSimple,
 * lanenet's TuSimple export and CULane lay them out: frames; per-frame masks and segmentation
 * labels that are images but not frames (`0000_instance.png`, `gt_binary_image/0000.png`,
 * `laneseg_label_w16/.../00000.png`); TuSimple label files (JSON lines: `label_data_0313.json`,
 * `test_label.json`, lanenet's `labels_derived.json`); videos; and the rest.
 */

export type DatasetFileKind = 'frame' | 'mask' | 'labels' | 'video' | 'other';

const IMAGE_RE = /\.(png|jpe?g|webp|bmp|gif|avif)$/i;
const VIDEO_RE = /\.(webm|mp4|m4v|mov|mkv|ogv)$/i;
/** File names of per-frame masks beside their frames (lanenet, SCNN/RESA exports, our own). */
const MASK_NAME_RE = /[_-](instance|binary|mask|seg|segmentation|label|gt)\.(png|bmp)$/i;
/** Folders that hold masks or segmentation labels rather than frames. */
const MASK_FOLDERS = new Set([
  'gt_instance_image',
  'gt_binary_image',
  'gt_image',
  'seg_label',
  'laneseg_label',
  'laneseg_label_w16',
  'laneseg_label_w16_test',
  'masks',
]);

export function datasetFileKind(path: string): DatasetFileKind {
  const parts = path.split(/[\\/]/);
  const name = parts[parts.length - 1];
  if (name.startsWith('.')) return 'other';
  if (/\.json$/i.test(name)) return 'labels';
  if (VIDEO_RE.test(name)) return 'video';
  if (!IMAGE_RE.test(name)) return 'other';
  if (MASK_NAME_RE.test(name) || parts.slice(0, -1).some((p) => MASK_FOLDERS.has(p.toLowerCase()))) return 'mask';
  return 'frame';
}

/** Splits paths by kind, keeping their order. */
export function sortDatasetFiles<T>(files: readonly T[], pathOf: (f: T) => string): Record<DatasetFileKind, T[]> {
  const out: Record<DatasetFileKind, T[]> = { frame: [], mask: [], labels: [], video: [], other: [] };
  for (const f of files) out[datasetFileKind(pathOf(f))].push(f);
  return out;
}
