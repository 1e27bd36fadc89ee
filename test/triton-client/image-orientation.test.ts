/**
 * `tritonscope infer` and `compare` read a photo the way the app (createImageBitmap) and the
 * standard Python pipeline (cv2.imread) do: upright by its EXIF orientation. A phone photo stored
 * sideways with orientation 6 must give the upright image's size and tensor, not a turned one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageTensor, readImageSize } from '../../electron/cli/laneRun';
import { LANE_PREPROCESS } from '../../shared/inference/preprocessSettings';
import type { InputSpec } from '../../shared/inference/inputSpec';
import { REPO_ROOT } from '../helpers/cli';

const SCENE = join(REPO_ROOT, 'assets/demo/scenes/scene_02.jpg');
const SPEC: InputSpec = {
  name: 'input',
  datatype: 'FP32',
  shape: [1, 3, 90, 160],
  layout: 'NCHW',
  width: 160,
  height: 90,
};

const meanAbs = (a: Uint8Array, b: Uint8Array) => {
  const x = new Float32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
  return s / x.length;
};

test('an image stored turned, with EXIF orientation 6, reads upright: size and tensor', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tritonscope-exif-'));
  try {
    const upright = join(dir, 'upright.jpg');
    const stored = join(dir, 'stored-turned.jpg');
    const bare = join(dir, 'turned-no-tag.jpg');
    await sharp(SCENE).jpeg({ quality: 95 }).toFile(upright);
    // The pixels turned 90 degrees anticlockwise; orientation 6 says "turn clockwise to show".
    await sharp(SCENE).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(stored);
    await sharp(SCENE).rotate(-90).jpeg({ quality: 95 }).toFile(bare);
    assert.deepEqual(await readImageSize(stored), await readImageSize(upright));
    assert.deepEqual(await readImageSize(upright), { width: 1280, height: 720 });
    const [a, b, c] = await Promise.all([upright, stored, bare].map((f) => imageTensor(f, SPEC, LANE_PREPROCESS)));
    const same = meanAbs(a.data, b.data);
    const turned = meanAbs(a.data, c.data);
    assert.ok(same < 0.01, `upright vs oriented: mean |d| ${same}`);
    assert.ok(turned > 5 * same && turned > 0.03, `the check can tell a turned image (${turned})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
