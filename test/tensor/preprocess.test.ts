import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocessImage, preprocessedByteSize, widenPlanes } from '../../shared/preprocess';
import { buildInputTensor, packImageInput, type InputSpec } from '../../shared/inference';
import { decodeTensor } from '../../shared/tensor/codec';
import { float32ToFp16 } from '../../shared/tensor/half';

// 2x2 RGBA image: red, green / blue, white.
const RGBA = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 9, 255, 255, 255, 0]);

test('RGBA -> CHW FP32 with /255 in RGB order', () => {
  const out = preprocessImage(RGBA, { width: 2, height: 2 });
  assert.equal(out.length, preprocessedByteSize(2, 2));
  assert.deepEqual([...decodeTensor('FP32', out)], [1, 0, 0, 1, /* G */ 0, 1, 0, 1, /* B */ 0, 0, 1, 1]);
});

test('BGR order swaps the first and last planes; RGB input with 3 channels', () => {
  const rgb = new Uint8Array([10, 20, 30, 40, 50, 60]); // 2x1
  const out = preprocessImage(rgb, { width: 2, height: 1, channels: 3, channelOrder: 'BGR', scale: 1 });
  assert.deepEqual([...decodeTensor('FP32', out)], [30, 60, 20, 50, 10, 40]);
});

test('mean/std are applied per channel after scaling (in R,G,B order, also for BGR)', () => {
  const rgb = new Uint8Array([255, 128, 0]);
  const mean = [0.485, 0.456, 0.406] as const;
  const std = [0.229, 0.224, 0.225] as const;
  const f = Math.fround;
  const expectRgb = [f((255 / 255 - 0.485) / 0.229), f((128 / 255 - 0.456) / 0.224), f((0 - 0.406) / 0.225)];
  const out = decodeTensor('FP32', preprocessImage(rgb, { width: 1, height: 1, channels: 3, mean, std }));
  out.forEach((v, i) => assert.ok(Math.abs(v - expectRgb[i]) < 1e-6, `${v} vs ${expectRgb[i]}`));
  const bgr = decodeTensor(
    'FP32',
    preprocessImage(rgb, { width: 1, height: 1, channels: 3, mean, std, channelOrder: 'BGR' }),
  );
  assert.deepEqual([...bgr], [out[2], out[1], out[0]]);
});

test('FP16 output equals the FP32 output rounded to half', () => {
  const w = 7,
    h = 5;
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < px.length; i++) px[i] = (i * 37) & 0xff;
  const f32 = decodeTensor(
    'FP32',
    preprocessImage(px, { width: w, height: h, mean: [0.5, 0.5, 0.5], std: [0.25, 0.3, 0.7] }),
  );
  const f16 = preprocessImage(px, { width: w, height: h, dtype: 'FP16', mean: [0.5, 0.5, 0.5], std: [0.25, 0.3, 0.7] });
  assert.equal(f16.length, preprocessedByteSize(w, h, 'FP16'));
  const bits = new Uint16Array(f16.buffer, f16.byteOffset, f16.length / 2);
  bits.forEach((b, i) => assert.equal(b, float32ToFp16(f32[i]), `element ${i}`));
});

test('reuses the output buffer across frames and validates inputs', () => {
  const out = new Uint8Array(preprocessedByteSize(2, 2));
  const a = preprocessImage(RGBA, { width: 2, height: 2, out });
  assert.equal(a, out);
  assert.throws(
    () => preprocessImage(RGBA, { width: 3, height: 2 }),
    /3x2 pixels with 4 channels need 24 bytes, got 16/,
  );
  assert.throws(
    () => preprocessImage(RGBA, { width: 2, height: 2, out: new Uint8Array(5) }),
    /output buffer has 5 bytes, needs 48/,
  );
  assert.throws(
    () => preprocessImage(RGBA, { width: 2, height: 2, out: new Uint8Array(49).subarray(1) }),
    /not 4-byte aligned/,
  );
  assert.throws(
    () => preprocessImage(RGBA, { width: 2, height: 2, std: [1, 0, 1] }),
    /std must be finite and non-zero/,
  );
  assert.throws(() => preprocessImage(RGBA, { width: 0, height: 2 }), /positive integers/);
});

test('8-bit planes widened by the services equal the tensor the renderer would build (FP32, FP16, RGB/BGR, mean/std)', () => {
  // A 37x23 frame of pseudo-random pixels (odd sizes: no accidental alignment with anything).
  const [w, h] = [37, 23];
  const px = new Uint8Array(w * h * 4);
  let seed = 12345;
  for (let i = 0; i < px.length; i++) px[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (const datatype of ['FP32', 'FP16'] as const)
    for (const channelOrder of ['RGB', 'BGR'] as const)
      for (const [mean, std] of [
        [
          [0, 0, 0],
          [1, 1, 1],
        ],
        [
          [0.485, 0.456, 0.406],
          [0.229, 0.224, 0.225],
        ],
      ] as [[number, number, number], [number, number, number]][]) {
        const spec: InputSpec = { name: 'x', datatype, shape: [1, 3, h, w], layout: 'NCHW', width: w, height: h };
        const pre = { channelOrder, scale: 1 / 255, mean, std, dtype: 'auto' as const };
        const image = packImageInput(px, spec, pre)!;
        assert.equal(image.planes.byteLength, 3 * w * h);
        const widened = widenPlanes(image.planes, {
          dtype: datatype,
          scale: image.scale,
          mean: image.mean,
          std: image.std,
        });
        assert.deepEqual(
          widened,
          buildInputTensor(px, spec, pre).data,
          `${datatype} ${channelOrder} mean ${mean.join(',')}`,
        );
      }
  // UINT8 inputs and HWC layouts are not packed (sent as the tensor itself).
  const pre = {
    channelOrder: 'RGB' as const,
    scale: 1,
    mean: [0, 0, 0] as const,
    std: [1, 1, 1] as const,
    dtype: 'auto' as const,
  };
  const u8: InputSpec = { name: 'x', datatype: 'UINT8', shape: [1, 3, h, w], layout: 'NCHW', width: w, height: h };
  assert.equal(packImageInput(px, u8, { ...pre, mean: [0, 0, 0], std: [1, 1, 1] }), null);
  assert.equal(
    packImageInput(px, { ...u8, datatype: 'FP32', layout: 'NHWC' }, { ...pre, mean: [0, 0, 0], std: [1, 1, 1] }),
    null,
  );
});

test('widenPlanes writes into a given buffer and refuses what it cannot widen', () => {
  const planes = new Uint8Array([0, 255, 51, 102, 153, 204]);
  const out = new Uint8Array(12);
  const r = widenPlanes(planes, { dtype: 'FP16', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], out });
  assert.equal(r, out);
  assert.deepEqual(
    decodeTensor('FP16', out),
    new Float32Array([0, 1, 0.2, 0.4, 0.6, 0.8].map((v) => float32ToFp16Value(v))),
  );
  const one = { dtype: 'FP32' as const, scale: 1, mean: [0, 0, 0] as const, std: [1, 1, 1] as const };
  assert.throws(() => widenPlanes(new Uint8Array(4), one), /4 bytes are not 3 equal planes/);
  assert.throws(() => widenPlanes(planes, { ...one, std: [1, 0, 1] }), /std must be finite and non-zero/);
  assert.throws(() => widenPlanes(planes, { ...one, out: new Uint8Array(8) }), /output buffer has 8 bytes, needs 24/);
  assert.throws(() => widenPlanes(planes, { ...one, out: new Uint8Array(25).subarray(1) }), /not 4-byte aligned/);
});

test('widenPlanes to FP16: the two-samples-a-step path equals one sample at a time for every pair of values', () => {
  // Each plane holds every (a, b) pair of byte values once, so every entry of the pair tables is read.
  const plane = 2 * 65536;
  const planes = new Uint8Array(3 * plane);
  for (let p = 0; p < 3; p++)
    for (let i = 0; i < 65536; i++) {
      planes[p * plane + 2 * i] = i & 255;
      planes[p * plane + 2 * i + 1] = (i >> 8) ^ (p * 85);
    }
  const options = {
    dtype: 'FP16' as const,
    scale: 1 / 255,
    mean: [0.485, 0.456, 0.406] as const,
    std: [0.229, 0.224, 0.225] as const,
  };
  const paired = widenPlanes(planes, options);
  // The same bytes at an odd offset cannot be read two at a time: the one-sample path.
  const unaligned = new Uint8Array(planes.length + 1).subarray(1);
  unaligned.set(planes);
  const single = widenPlanes(unaligned, options);
  assert.deepEqual(paired, single);
  // And each value is the FP16 of (v * scale - mean) / std of its plane.
  const halves = new Uint16Array(paired.buffer, paired.byteOffset, 3 * plane);
  for (const i of [0, 1, 2, 3, 255, 256, 257, plane - 1, plane, 2 * plane + 12345]) {
    const p = Math.floor(i / plane);
    assert.equal(halves[i], float32ToFp16((planes[i] / 255 - options.mean[p]) / options.std[p]), `sample ${i}`);
  }
});

/** The float an FP16 element holds for `v`. */
function float32ToFp16Value(v: number): number {
  return decodeTensor('FP16', new Uint8Array(new Uint16Array([float32ToFp16(v)]).buffer))[0];
}
