// test-process: shared (pure: no servers, browsers or global state; see scripts/run-tests.mjs)
/**
 * shared/lanes/datasetFiles: the files of an opened lane-dataset folder sorted into frames, masks,
 * label files and videos, as TuSimple, lanenet's TuSimple export and CULane lay them out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetFileKind, sortDatasetFiles } from '../../shared/lanes';

test('TuSimple / lanenet / CULane layouts: frames, masks, labels, videos, the rest', () => {
  const cases: [string, string][] = [
    ['tusimple/0000.png', 'frame'],
    ['tusimple/0000_instance.png', 'mask'],
    ['tusimple/0000_binary.png', 'mask'],
    ['tusimple/labels_derived.json', 'labels'],
    ['train_set/clips/0313-1/6040/20.jpg', 'frame'],
    ['train_set/label_data_0313.json', 'labels'],
    ['training/gt_instance_image/0000.png', 'mask'],
    ['training/gt_binary_image/0000.png', 'mask'],
    ['training/image/0000.png', 'frame'],
    ['CULane/laneseg_label_w16/driver_23_30frame/05151640_0419.MP4/00000.png', 'mask'],
    ['CULane/driver_23_30frame/05151640_0419.MP4/00000.jpg', 'frame'],
    ['CULane/driver_23_30frame/05151640_0419.MP4/00000.lines.txt', 'other'],
    ['drive.webm', 'video'],
    ['.DS_Store', 'other'],
    ['tusimple/.hidden.png', 'other'],
    ['README.md', 'other'],
  ];
  for (const [path, kind] of cases) assert.equal(datasetFileKind(path), kind, path);
  const sorted = sortDatasetFiles(
    cases.map(([p]) => ({ p })),
    (f) => f.p,
  );
  assert.deepEqual(
    sorted.frame.map((f) => f.p),
    cases.filter(([, k]) => k === 'frame').map(([p]) => p),
    'order kept',
  );
  assert.equal(sorted.mask.length, 5);
});
