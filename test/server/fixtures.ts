/**
 * Test model repositories built on the fly: tiny real ONNX models (scripts/onnx builder) with
 * their config.pbtxt files in a temp directory, plus helpers to encode/decode raw tensors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { writeModel } from '../helpers/modelRepo';
import { buildOnnxModel, float32ToFloat16Bits, type OnnxModelSpec } from '../../scripts/onnx/builder';

export const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
export const i32 = (values: number[]) => new Uint8Array(new Int32Array(values).buffer);
export const readF32 = (bytes: Uint8Array) =>
  Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
export const fp16 = (values: number[]) => new Uint8Array(new Uint16Array(values.map(float32ToFloat16Bits)).buffer);

/**
 * The repository's `scaled` model as a config object (JSON, for load overrides and runners), with
 * `extra` fields set or replaced.
 */
export const scaledConfig = (extra: object = {}) => ({
  name: 'scaled',
  backend: 'onnxruntime',
  max_batch_size: 8,
  input: [{ name: 'INPUT', data_type: 'TYPE_FP32', dims: [3] }],
  output: [{ name: 'OUTPUT', data_type: 'TYPE_FP32', dims: [3] }],
  ...extra,
});

/** BYTES wire encoding: uint32 LE length + bytes per element. */
export function bytesTensor(items: string[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const s of items) {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length, 0);
    parts.push(len, b);
  }
  return new Uint8Array(Buffer.concat(parts));
}

export function decodeBytesTensor(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let o = 0; o < b.length;) {
    const len = b.readUInt32LE(o);
    out.push(b.toString('utf8', o + 4, o + 4 + len));
    o += 4 + len;
  }
  return out;
}

/** A + B and A - B on float[4]. */
export function addSubModel(): Uint8Array {
  return buildOnnxModel({
    inputs: [
      { name: 'A', elemType: 'float', shape: [4] },
      { name: 'B', elemType: 'float', shape: [4] },
    ],
    outputs: [
      { name: 'SUM', elemType: 'float', shape: [4] },
      { name: 'DIFF', elemType: 'float', shape: [4] },
    ],
    nodes: [
      { op: 'Add', inputs: ['A', 'B'], outputs: ['SUM'] },
      { op: 'Sub', inputs: ['A', 'B'], outputs: ['DIFF'] },
    ],
  });
}

/**
 * OUTPUT = INPUT * factor on float[batch, 3]. `unusedWeights` adds that many float weights that no
 * output depends on: a model that is slow to load (ONNX Runtime still reads them) but runs the same.
 */
export function scaleModel(factor: number, unusedWeights = 0): Uint8Array {
  const ballast = unusedWeights > 0;
  return buildOnnxModel({
    inputs: [{ name: 'INPUT', elemType: 'float', shape: ['batch', 3] }],
    outputs: [{ name: 'OUTPUT', elemType: 'float', shape: ['batch', 3] }],
    nodes: [
      { op: 'Mul', inputs: ['INPUT', 'k'], outputs: ['OUTPUT'] },
      ...(ballast ? [{ op: 'ReduceSum', inputs: ['ballast'], outputs: ['unused'] }] : []),
    ],
    initializers: [
      { name: 'k', elemType: 'float', dims: [1], data: [factor] },
      ...(ballast
        ? [
            {
              name: 'ballast',
              elemType: 'float' as const,
              dims: [unusedWeights],
              data: new Float32Array(unusedWeights),
            },
          ]
        : []),
    ],
  });
}

export function identityModel(
  elemType: OnnxModelSpec['inputs'][number]['elemType'],
  shape: (number | string)[],
): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'X', elemType, shape }],
    outputs: [{ name: 'Y', elemType, shape }],
    nodes: [{ op: 'Identity', inputs: ['X'], outputs: ['Y'] }],
  });
}

export const CONFIGS = {
  add_sub: `name: "add_sub"
backend: "onnxruntime"
max_batch_size: 0
input [ { name: "A" data_type: TYPE_FP32 dims: [ 4 ] }, { name: "B" data_type: TYPE_FP32 dims: [ 4 ] } ]
output [ { name: "SUM" data_type: TYPE_FP32 dims: [ 4 ] label_filename: "labels.txt" }, { name: "DIFF" data_type: TYPE_FP32 dims: [ 4 ] } ]
`,
  scaled: `name: "scaled"
platform: "onnxruntime_onnx"
max_batch_size: 8
version_policy { all { } }
input [ { name: "INPUT" data_type: TYPE_FP32 dims: [ 3 ] } ]
output [ { name: "OUTPUT" data_type: TYPE_FP32 dims: [ 3 ] } ]
dynamic_batching { }
`,
  half: `name: "half"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_FP16 dims: [ 2, 2 ] } ]
output [ { name: "Y" data_type: TYPE_FP16 dims: [ 2, 2 ] } ]
instance_group [ { kind: KIND_CPU count: 1 } ]
`,
  ints: `name: "ints"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_INT32 dims: [ -1 ] } ]
output [ { name: "Y" data_type: TYPE_INT32 dims: [ -1 ] } ]
`,
  strings: `name: "strings"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_STRING dims: [ 2 ] } ]
output [ { name: "Y" data_type: TYPE_STRING dims: [ 2 ] } ]
`,
  pipeline: `name: "pipeline"
platform: "ensemble"
input [ { name: "IN" data_type: TYPE_FP32 dims: [ 4 ] } ]
output [ { name: "OUT" data_type: TYPE_FP32 dims: [ 4 ] } ]
ensemble_scheduling {
  step [
    { model_name: "add_sub" model_version: -1 input_map { key: "A" value: "IN" } input_map { key: "B" value: "IN" } output_map { key: "SUM" value: "doubled" } },
    { model_name: "add_sub" model_version: -1 input_map { key: "A" value: "doubled" } input_map { key: "B" value: "IN" } output_map { key: "SUM" value: "OUT" } }
  ]
}
`,
  bad_pipeline: `name: "bad_pipeline"
platform: "ensemble"
input [ { name: "IN" data_type: TYPE_INT32 dims: [ 4 ] } ]
output [ { name: "OUT" data_type: TYPE_FP32 dims: [ 4 ] } ]
ensemble_scheduling {
  step [ { model_name: "add_sub" model_version: -1 input_map { key: "A" value: "IN" } input_map { key: "B" value: "IN" } output_map { key: "SUM" value: "OUT" } } ]
}
`,
  broken_onnx: `name: "broken_onnx"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_FP32 dims: [ 1 ] } ]
output [ { name: "Y" data_type: TYPE_FP32 dims: [ 1 ] } ]
`,
  trt: `name: "trt"
platform: "tensorrt_plan"
max_batch_size: 1
input [ { name: "input" data_type: TYPE_FP32 dims: [ 3 ] } ]
output [ { name: "output" data_type: TYPE_FP32 dims: [ 3 ] } ]
`,
  bad_syntax: `name: "bad_syntax"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_FP32 dims: [ 1 ] ]
`,
  no_versions: `name: "no_versions"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_FP32 dims: [ 1 ] } ]
output [ { name: "Y" data_type: TYPE_FP32 dims: [ 1 ] } ]
`,
} as const;

export type Repo = TempDir;

/** Writes the standard test repository and returns its path. */
export function makeRepository(): Repo {
  const repo = makeTempDir('tritonscope-server-test-');
  const { dir } = repo;
  const model = (name: keyof typeof CONFIGS, versions: Record<number, Uint8Array | null>, filename?: string) =>
    writeModel(dir, name, CONFIGS[name], versions, filename);
  model('add_sub', { 1: addSubModel() });
  writeFileSync(join(dir, 'add_sub', 'labels.txt'), 'zero\none\ntwo\nthree\n');
  model('scaled', { 1: scaleModel(2), 2: scaleModel(3) });
  model('half', { 1: identityModel('float16', [2, 2]) });
  model('ints', { 1: identityModel('int32', ['n']) });
  model('strings', { 1: identityModel('string', [2]) });
  model('pipeline', { 1: null });
  model('bad_pipeline', { 1: null });
  model('broken_onnx', { 1: new Uint8Array(0) });
  model('trt', { 1: new Uint8Array(0) }, 'model.plan');
  model('bad_syntax', { 1: identityModel('float', [1]) });
  model('no_versions', {});
  return repo;
}
