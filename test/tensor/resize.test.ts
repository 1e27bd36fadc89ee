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
