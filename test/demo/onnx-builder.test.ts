/**
 * The ONNX builder makes real model files: each test builds a model, loads it in onnxruntime-node
 * and checks what it computes (plus the errors the builder reports for malformed specs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import {
  attr,
  buildOnnxModel,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  OnnxBuildError,
  readOnnxModelSummary,
} from '../../scripts/onnx/builder';

async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes);
}

test('identity model round-trips every element and keeps its interface', async () => {
  const bytes = buildOnnxModel({
    inputs: [{ name: 'IN', elemType: 'int32', shape: [4] }],
    outputs: [{ name: 'OUT', elemType: 'int32', shape: [4] }],
    nodes: [{ op: 'Identity', inputs: ['IN'], outputs: ['OUT'] }],
  });
  const s = await session(bytes);
  assert.deepEqual(s.inputNames, ['IN']);
  assert.deepEqual(s.outputNames, ['OUT']);
  const data = new Int32Array([7, -3, 2147483647, -2147483648]);
  const r = await s.run({ IN: new ort.Tensor('int32', data, [4]) });
  assert.deepEqual(Array.from(r.OUT.data as Int32Array), Array.from(data));
  const summary = readOnnxModelSummary(bytes);
  assert.equal(summary.irVersion, 8);
  assert.deepEqual(summary.opsets, { '': 17 });
  assert.deepEqual(summary.inputs, [{ name: 'IN', elemType: 'int32', shape: [4] }]);
  assert.deepEqual(summary.ops, ['Identity']);
  await s.release();
});

test('add with a float initializer broadcasts over a symbolic dimension', async () => {
  const s = await session(
    buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'float', shape: ['n', 3] }],
      outputs: [{ name: 'y', elemType: 'float', shape: ['n', 3] }],
      nodes: [{ op: 'Add', inputs: ['x', 'c'], outputs: ['y'] }],
      initializers: [{ name: 'c', elemType: 'float', dims: [3], data: [0.5, -1, 100] }],
    }),
  );
  const r = await s.run({ x: new ort.Tensor('float32', new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]) });
  assert.deepEqual(r.y.dims, [2, 3]);
  assert.deepEqual(Array.from(r.y.data as Float32Array), [1.5, 1, 103, 4.5, 4, 106]);
  await s.release();
});

test('FP16 cast: float16 input, float16 initializer, float32 output', async () => {
  const s = await session(
    buildOnnxModel({
      inputs: [{ name: 'h', elemType: 'float16', shape: [3] }],
      outputs: [{ name: 'f', elemType: 'float', shape: [3] }],
      nodes: [
        { op: 'Mul', inputs: ['h', 'k'], outputs: ['hk'] },
        { op: 'Cast', inputs: ['hk'], outputs: ['f'], attrs: { to: 1 } },
      ],
      initializers: [{ name: 'k', elemType: 'float16', dims: [1], data: [0.5] }],
    }),
  );
  const bits = new Uint16Array([1, -2.5, 65504].map(float32ToFloat16Bits));
  const r = await s.run({ h: new ort.Tensor('float16', bits, [3]) });
  assert.equal(r.f.type, 'float32');
  assert.deepEqual(Array.from(r.f.data as Float32Array), [0.5, -1.25, 32752]);
  await s.release();
});

test('batched model: dynamic batch, uint8 HWC -> float CHW / 255 preprocessing, int64 and float attributes', async () => {
  const s = await session(
    buildOnnxModel({
      inputs: [{ name: 'img', elemType: 'uint8', shape: ['batch', 2, 2, 3] }],
      outputs: [
        { name: 'chw', elemType: 'float', shape: ['batch', 3, 2, 2] },
        { name: 'act', elemType: 'float', shape: ['batch', 3, 2, 2] },
      ],
      nodes: [
        { op: 'Cast', inputs: ['img'], outputs: ['imgf'], attrs: { to: 1 } },
        { op: 'Transpose', inputs: ['imgf'], outputs: ['t'], attrs: { perm: [0, 3, 1, 2] } },
        { op: 'Div', inputs: ['t', 'k255'], outputs: ['chw'] },
        { op: 'Sub', inputs: ['chw', 'half'], outputs: ['centred'] },
        // alpha = 1 would be typed INT without the wrapper; LeakyRelu requires FLOAT.
        { op: 'LeakyRelu', inputs: ['centred'], outputs: ['act'], attrs: { alpha: attr.float(1) } },
      ],
      initializers: [
        { name: 'k255', elemType: 'float', dims: [], data: [255] },
        { name: 'half', elemType: 'float', dims: [], data: [0.5] },
      ],
    }),
  );
  for (const batch of [1, 3]) {
    const pixels = new Uint8Array(batch * 12).map((_, i) => (i * 37) % 256);
    const r = await s.run({ img: new ort.Tensor('uint8', pixels, [batch, 2, 2, 3]) });
    assert.deepEqual(r.chw.dims, [batch, 3, 2, 2]);
    const chw = r.chw.data as Float32Array;
    for (let b = 0; b < batch; b++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 2; x++) {
            const want = pixels[b * 12 + (y * 2 + x) * 3 + c] / 255;
            assert.ok(Math.abs(chw[b * 12 + c * 4 + y * 2 + x] - want) < 1e-6);
          }
    const act = r.act.data as Float32Array;
    for (let i = 0; i < act.length; i++) assert.ok(Math.abs(act[i] - (chw[i] - 0.5)) < 1e-6);
  }
  await s.release();
});

test('int64 initializers and ints attributes (Reshape, ReduceSum with axes input, Gather)', async () => {
  const s = await session(
    buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'float', shape: [6] }],
      outputs: [
        { name: 'y', elemType: 'float', shape: [2] },
        { name: 'g', elemType: 'float', shape: [2] },
      ],
      nodes: [
        { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['m'] },
        { op: 'ReduceSum', inputs: ['m', 'axes'], outputs: ['y'], attrs: { keepdims: 0 } },
        { op: 'Gather', inputs: ['x', 'idx'], outputs: ['g'], attrs: { axis: 0 } },
      ],
      initializers: [
        { name: 'shape', elemType: 'int64', dims: [2], data: [2, -1] },
        { name: 'axes', elemType: 'int64', dims: [1], data: [1n] },
        { name: 'idx', elemType: 'int64', dims: [2], data: [5, -6] },
      ],
    }),
  );
  const r = await s.run({ x: new ort.Tensor('float32', new Float32Array([1, 2, 3, 10, 20, 30]), [6]) });
  assert.deepEqual(Array.from(r.y.data as Float32Array), [6, 60]);
  assert.deepEqual(Array.from(r.g.data as Float32Array), [30, 1]);
  await s.release();
});

test('float16 conversion rounds to nearest even and handles subnormals, overflow, NaN', () => {
  assert.equal(float32ToFloat16Bits(1), 0x3c00);
  assert.equal(float32ToFloat16Bits(-2), 0xc000);
  assert.equal(float32ToFloat16Bits(65504), 0x7bff);
  assert.equal(float32ToFloat16Bits(65520), 0x7c00); // rounds up to inf
  assert.equal(float32ToFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(float32ToFloat16Bits(2 ** -26), 0x0000);
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie -> even
  assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
  assert.ok(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN))));
  for (const v of [0.1, 0.333, 1234.5, -0.0078125, 6.1e-5]) {
    const back = float16BitsToFloat32(float32ToFloat16Bits(v));
    assert.ok(Math.abs(back - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v} -> ${back}`);
  }
});

test('malformed specs fail with an error naming the node / initializer / field', () => {
  const base = {
    inputs: [{ name: 'x', elemType: 'float' as const, shape: [2] }],
    outputs: [{ name: 'y', elemType: 'float' as const, shape: [2] }],
  };
  assert.throws(
    () => buildOnnxModel({ ...base, nodes: [{ op: 'Add', inputs: ['x', 'nope'], outputs: ['y'], name: 'adder' }] }),
    (e: unknown) =>
      e instanceof OnnxBuildError && /node #0 \(Add 'adder'\): input 'nope' is not defined/.test(e.message),
  );
  assert.throws(
    () => buildOnnxModel({ ...base, nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['z'] }] }),
    /output 'y' is not produced/,
  );
  assert.throws(
    () =>
      buildOnnxModel({
        ...base,
        nodes: [{ op: 'Add', inputs: ['x', 'c'], outputs: ['y'] }],
        initializers: [{ name: 'c', elemType: 'float', dims: [3], data: [1, 2] }],
      }),
    /initializer 'c': dims \[3\] hold 3 elements but data has 2/,
  );
  assert.throws(
    () =>
      buildOnnxModel({
        inputs: [{ name: 'x', elemType: 'float32' as never }],
        outputs: base.outputs,
        nodes: [],
      }),
    /input #0 'x': unknown elemType "float32"/,
  );
  assert.throws(
    () => buildOnnxModel({ ...base, nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'], attrs: { bad: [] } }] }),
    /attribute 'bad': an empty list has no type/,
  );
});
