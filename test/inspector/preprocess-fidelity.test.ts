/**
 * Preprocessing fidelity: the tensor the inspector builds for a frame equals what the standard
 * Python pipeline produces — cv2.imread (BGR), cv2.resize INTER_LINEAR to 640x360, / 255 — within
 * 1/255 per element (documented tolerance; measured: bit-exact for the 800x450 shrink, 402 of
 * 691,200 elements one step off for the 333x187 enlargement).
 *
 * References: test/fixtures/preprocess, generated once by make_reference.py with Debian's
 * python3-opencv. The inspector's path is shared/inference: resizeBilinear on the RGBA pixels a
 * canvas gives for the frame at its own size, then buildInputTensor (BGR, scale 1/255, no mean/std).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildInputTensor, resizeBilinear, type InputSpec, type PreprocessSettings } from '../../shared/inference';

const DIR = join(import.meta.dirname, '../fixtures/preprocess');
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as {
  opencv: string;
  cases: Record<string, { source: string; resized_bgr: string; size: [number, number]; tensor_sha256: string }>;
};
const SPEC: InputSpec = {
  name: 'input',
  datatype: 'FP32',
  shape: [1, 3, 360, 640],
  layout: 'NCHW',
  width: 640,
  height: 360,
};
const LANEATT: PreprocessSettings = {
  channelOrder: 'BGR',
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  dtype: 'FP32',
};
const TOLERANCE = 1 / 255 + 1e-6;

async function raw(file: string, channels: 3 | 4) {
  const img = sharp(join(DIR, file));
  const { data, info } = await (channels === 4 ? img.ensureAlpha() : img.removeAlpha())
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** cv2's tensor from the stored resized image: CHW, planes B, G, R, / 255 in float32. */
async function cv2Tensor(file: string): Promise<Float32Array> {
  const { data, width, height } = await raw(file, 3); // the PNG holds R, G, B
  const plane = width * height;
  const t = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    t[i] = Math.fround(data[i * 3 + 2] / 255);
    t[plane + i] = Math.fround(data[i * 3 + 1] / 255);
    t[2 * plane + i] = Math.fround(data[i * 3] / 255);
  }
  return t;
}

for (const [name, c] of Object.entries(ref.cases)) {
  test(`preprocessing ${name}: the inspector's tensor matches cv2 (OpenCV ${ref.opencv}) within 1/255`, async () => {
    const expected = await cv2Tensor(c.resized_bgr);
    // The stored pixels reproduce the reference tensor bit for bit.
    assert.equal(createHash('sha256').update(new Uint8Array(expected.buffer)).digest('hex'), c.tensor_sha256);

    const src = await raw(c.source, 4);
    assert.deepEqual([src.width, src.height], c.size);
    const pixels = resizeBilinear(src.data, src.width, src.height, 4, 640, 360);
    const tensor = buildInputTensor(pixels, SPEC, LANEATT, 4);
    const got = new Float32Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength / 4);
    assert.equal(got.length, expected.length);
    let max = 0;
    let differing = 0;
    for (let i = 0; i < got.length; i++) {
      const d = Math.abs(got[i] - expected[i]);
      if (d > max) max = d;
      if (d > 0) differing++;
    }
    assert.ok(max <= TOLERANCE, `max |Δ| ${max} (${(max * 255).toFixed(2)}/255) exceeds 1/255`);
    // The fixed-point resize reproduces OpenCV 4.6 bit for bit when shrinking; enlarging, a few
    // hundred elements (0.06%) land one 8-bit step away.
    assert.ok(differing / got.length < 0.005, `${differing} of ${got.length} elements differ`);
  });
}

test('resizeBilinear keeps a constant image constant and rejects a wrong buffer size', () => {
  const src = new Uint8Array(7 * 5 * 3).fill(200);
  assert.ok(resizeBilinear(src, 7, 5, 3, 16, 9).every((v) => v === 200));
  assert.throws(() => resizeBilinear(src, 8, 5, 3, 16, 9), /expected 120/);
});
