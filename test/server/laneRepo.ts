/**
 * A model repository shaped like the one the official-client checker (`../shared/triton/reference/
 * run_check.sh`) expects, with tiny real ONNX models: the lane model's names and shapes
 * ([batch,3,360,640] -> predict_lanes [batch,2784,77], an input-dependent slice of the image), its
 * FP16 twin, a batched model with two versions, and an ensemble (identity preprocess -> lane model).
 */
import { writeModel } from '../helpers/modelRepo';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { buildOnnxModel } from '../../scripts/onnx/builder';

const OUT = 2784 * 77;

function laneModel(half: boolean): Uint8Array {
  const cast = half ? [{ op: 'Cast', inputs: ['input'], outputs: ['x'], attrs: { to: 1 } }] : [];
  const x = half ? 'x' : 'input';
  return buildOnnxModel({
    inputs: [{ name: 'input', elemType: half ? 'float16' : 'float', shape: ['batch', 3, 360, 640] }],
    outputs: [{ name: 'predict_lanes', elemType: 'float', shape: ['batch', 2784, 77] }],
    nodes: [
      ...cast,
      { op: 'Reshape', inputs: [x, 'flat'], outputs: ['f'] },
      { op: 'Slice', inputs: ['f', 'starts', 'ends', 'axes'], outputs: ['s'] },
      { op: 'Reshape', inputs: ['s', 'lanes'], outputs: ['predict_lanes'] },
    ],
    initializers: [
      { name: 'flat', elemType: 'int64', dims: [2], data: [0, -1] },
      { name: 'starts', elemType: 'int64', dims: [1], data: [0] },
      { name: 'ends', elemType: 'int64', dims: [1], data: [OUT] },
      { name: 'axes', elemType: 'int64', dims: [1], data: [1] },
      { name: 'lanes', elemType: 'int64', dims: [3], data: [0, 2784, 77] },
    ],
  });
}

function identityImage(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'IMAGE', elemType: 'float', shape: ['batch', 3, 360, 640] }],
    outputs: [{ name: 'PREPROCESSED', elemType: 'float', shape: ['batch', 3, 360, 640] }],
    nodes: [{ op: 'Identity', inputs: ['IMAGE'], outputs: ['PREPROCESSED'] }],
  });
}

const lane = (name: string, dtype: string, mbs: number, extra = '') => `name: "${name}"
backend: "onnxruntime"
max_batch_size: ${mbs}
input [ { name: "input" data_type: ${dtype} dims: [ 3, 360, 640 ] } ]
output [ { name: "predict_lanes" data_type: TYPE_FP32 dims: [ 2784, 77 ] } ]
${extra}`;

const CONFIGS: Record<string, string> = {
  laneDetect_model: lane('laneDetect_model', 'TYPE_FP32', 1),
  laneDetect_model_fp16: lane('laneDetect_model_fp16', 'TYPE_FP16', 1),
  lane_batched: lane(
    'lane_batched',
    'TYPE_FP32',
    8,
    'version_policy { all { } }\ninstance_group [ { count: 2 kind: KIND_CPU } ]\ndynamic_batching { preferred_batch_size: [ 4, 8 ] }\n',
  ),
  lane_preprocess: `name: "lane_preprocess"
backend: "onnxruntime"
max_batch_size: 1
input [ { name: "IMAGE" data_type: TYPE_FP32 dims: [ 3, 360, 640 ] } ]
output [ { name: "PREPROCESSED" data_type: TYPE_FP32 dims: [ 3, 360, 640 ] } ]
`,
  lane_pipeline: `name: "lane_pipeline"
platform: "ensemble"
max_batch_size: 1
input [ { name: "IMAGE" data_type: TYPE_FP32 dims: [ 3, 360, 640 ] } ]
output [ { name: "LANES" data_type: TYPE_FP32 dims: [ 2784, 77 ] } ]
ensemble_scheduling {
  step [
    { model_name: "lane_preprocess" model_version: -1 input_map { key: "IMAGE" value: "IMAGE" } output_map { key: "PREPROCESSED" value: "pre" } },
    { model_name: "laneDetect_model" model_version: -1 input_map { key: "input" value: "pre" } output_map { key: "predict_lanes" value: "LANES" } }
  ]
}
`,
};

/** Writes the repository; the caller cleans it up. */
export function makeLaneRepository(): TempDir {
  const repo = makeTempDir('tritonscope-lane-repo-');
  const fp32 = laneModel(false);
  const files: Record<string, Record<number, Uint8Array | null>> = {
    laneDetect_model: { 1: fp32 },
    laneDetect_model_fp16: { 1: laneModel(true) },
    lane_batched: { 1: fp32, 2: fp32 },
    lane_preprocess: { 1: identityImage() },
    lane_pipeline: { 1: null },
  };
  for (const [name, versions] of Object.entries(files)) writeModel(repo.dir, name, CONFIGS[name], versions);
  return repo;
}
