/**
 * A model repository with a cheap "lane model" stand-in: input [1,3,360,640] (FP32, or FP16 for
 * the twin), output [1,2784,77] = the first 2784*77 input values (Reshape -> Slice -> Reshape).
 * It has the real LaneATT tensor sizes while costing the server almost nothing, so client
 * overhead is visible (bench) and the CLI's lane decoding has something of the right shape.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '../../helpers/tempDir';
import { buildOnnxModel } from '../../../scripts/onnx/builder';

export const LANE_IN = [3, 360, 640] as const;
export const LANE_OUT = [2784, 77] as const;

/** `hw`: the input's H and W are fixed (360 x 640) or dynamic (any size with 3*H*W >= 2784*77). */
export function laneStub(elemType: 'float' | 'float16', hw: 'fixed' | 'dynamic' = 'fixed'): Uint8Array {
  const n = LANE_OUT[0] * LANE_OUT[1];
  return buildOnnxModel({
    inputs: [{ name: 'input', elemType, shape: hw === 'fixed' ? ['batch', ...LANE_IN] : ['batch', 3, 'h', 'w'] }],
    outputs: [{ name: 'predict_lanes', elemType, shape: ['batch', ...LANE_OUT] }],
    nodes: [
      { op: 'Reshape', inputs: ['input', 'flat_shape'], outputs: ['flat'] },
      { op: 'Slice', inputs: ['flat', 'starts', 'ends', 'axes'], outputs: ['head'] },
      { op: 'Reshape', inputs: ['head', 'out_shape'], outputs: ['predict_lanes'] },
    ],
    initializers: [
      { name: 'flat_shape', elemType: 'int64', dims: [2], data: [0, -1] },
      { name: 'starts', elemType: 'int64', dims: [1], data: [0] },
      { name: 'ends', elemType: 'int64', dims: [1], data: [n] },
      { name: 'axes', elemType: 'int64', dims: [1], data: [1] },
      { name: 'out_shape', elemType: 'int64', dims: [3], data: [-1, ...LANE_OUT] },
    ],
  });
}

function config(name: string, type: string): string {
  return `name: "${name}"
backend: "onnxruntime"
max_batch_size: 1
input [ { name: "input" data_type: ${type} format: FORMAT_NCHW dims: [ 3, 360, 640 ] } ]
output [ { name: "predict_lanes" data_type: ${type} dims: [ 2784, 77 ] } ]
`;
}

export type TempRepo = TempDir;

export function makeLaneStubRepo(): TempRepo {
  const repo = makeTempDir('tritonscope-lanestub-');
  const { dir } = repo;
  for (const [name, elem, type] of [
    ['lane_stub', 'float', 'TYPE_FP32'],
    ['lane_stub_fp16', 'float16', 'TYPE_FP16'],
  ] as const) {
    mkdirSync(join(dir, name, '1'), { recursive: true });
    writeFileSync(join(dir, name, 'config.pbtxt'), config(name, type));
    writeFileSync(join(dir, name, '1', 'model.onnx'), laneStub(elem));
  }
  return repo;
}
