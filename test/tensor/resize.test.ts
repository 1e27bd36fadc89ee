/**
 * shared/inference/resize.ts: bilinear resize with half-pixel centres (OpenCV INTER_LINEAR, LaneATT's resize).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizeBilinear } from '../../shared/inference/resize';

test('same size is the identity', () => {
  const src = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);
  assert.deepEqual(resizeBilinear(src, 4, 3, 3, 4, 3), src);
});

test('a 2x reduction averages each 2x2 block per channel (as cv2.resize INTER_LINEAR)', () => {
  const w = 4;
  const h = 2;
  const src = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) src[(y * w + x) * 3 + c] = 10 * x + 100 * y + c;
  const out = resizeBilinear(src, w, h, 3, 2, 1);
  // block (0..1, 0..1): mean of 10*x + 100*y + c = 5 + 50 + c; block (2..3): 25 + 50 + c
  assert.deepEqual(Array.from(out), [55, 56, 57, 75, 76, 77]);
});

test('an enlargement interpolates between neighbours and clamps at the borders', () => {
  const src = Uint8Array.from([0, 0, 0, 200, 200, 200]); // 2x1
  const out = resizeBilinear(src, 2, 1, 3, 4, 1);
  // centres at source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
  assert.deepEqual(Array.from(out.filter((_, i) => i % 3 === 0)), [0, 50, 150, 200]);
});

test('an exact halving (1280x720 to 640x360) gives the same bytes as the general path, RGBA and other layouts', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (const [w, h, channels] of [
    [1280, 720, 4],
    [10, 6, 4],
    [10, 6, 3],
    [8, 4, 1],
  ]) {
    const src = Uint8Array.from({ length: w * h * channels }, random);
    src.fill(255, 0, channels * 4); // saturated corners: the packed sums must not carry into a neighbour
    const fast = resizeBilinear(src, w, h, channels, w / 2, h / 2);
    const general = resizeBilinear(src, w, h, channels, w / 2, h / 2, undefined, true);
    assert.deepEqual(fast, general, `${w}x${h}x${channels}`);
  }
  // Pixels that do not start on a 4-byte boundary (a view into a larger buffer) take the byte path.
  const backing = Uint8Array.from({ length: 1 + 8 * 4 * 4 }, random);
  const view = backing.subarray(1);
  assert.deepEqual(resizeBilinear(view, 8, 4, 4, 4, 2), resizeBilinear(view, 8, 4, 4, 4, 2, undefined, true));
});
