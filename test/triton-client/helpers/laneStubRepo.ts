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

/**
 * A LaneATT-shaped "frame probe": one proposal (anchor 0, certain) is a vertical lane at
 * x = 640 x the mean of the whole input; every other anchor is certain background. A frame whose
 * pixels are one grey level g (BGR / 255) thus comes back as a lane at x = 640 g / 255: a test can
 * read from the lanes which frame a result was computed from, and compare it with the frame the
 * result is stored under. Input [1,3,360,640] FP32, output predict_lanes [1,2784,77] FP32.
 */
export function frameProbe(): Uint8Array {
  const [anchors, cols] = LANE_OUT;
  const rows = cols - 5;
  return buildOnnxModel({
    inputs: [{ name: 'input', elemType: 'float', shape: ['batch', ...LANE_IN] }],
    outputs: [{ name: 'predict_lanes', elemType: 'float', shape: ['batch', ...LANE_OUT] }],
    nodes: [
      // One frame a request (max_batch_size 1): the mean over everything is that frame's.
      { op: 'ReduceMean', inputs: ['input'], outputs: ['mean'], attrs: { keepdims: 0 } },
      { op: 'Mul', inputs: ['mean', 'width'], outputs: ['xs'] },
      { op: 'Concat', inputs: ['lane_head', 'xs'], outputs: ['lane_flat'], attrs: { axis: 0 } },
      { op: 'Reshape', inputs: ['lane_flat', 'one_row'], outputs: ['lane_row'] },
      // The batch dimension follows the input's (a fixed 1 would not load with max_batch_size 1).
      { op: 'Shape', inputs: ['input'], outputs: ['input_shape'] },
      { op: 'Slice', inputs: ['input_shape', 'zero', 'one', 'zero'], outputs: ['batch'] },
      { op: 'Concat', inputs: ['batch', 'lane_dims'], outputs: ['lane_shape'], attrs: { axis: 0 } },
      { op: 'Concat', inputs: ['batch', 'background_dims'], outputs: ['background_shape'], attrs: { axis: 0 } },
      { op: 'Expand', inputs: ['lane_row', 'lane_shape'], outputs: ['lane'] },
      { op: 'Expand', inputs: ['background_row', 'background_shape'], outputs: ['background'] },
      { op: 'Concat', inputs: ['lane', 'background'], outputs: ['predict_lanes'], attrs: { axis: 1 } },
    ],
    initializers: [
      { name: 'width', elemType: 'float', dims: [rows], data: new Array<number>(rows).fill(640) },
      // logits (background, lane), start_y 0 (the bottom row), start_x, length: all 72 rows
      { name: 'lane_head', elemType: 'float', dims: [5], data: [-8, 8, 0, 0.5, rows] },
      { name: 'one_row', elemType: 'int64', dims: [3], data: [1, 1, cols] },
      { name: 'zero', elemType: 'int64', dims: [1], data: [0] },
      { name: 'one', elemType: 'int64', dims: [1], data: [1] },
      { name: 'lane_dims', elemType: 'int64', dims: [2], data: [1, cols] },
      { name: 'background_dims', elemType: 'int64', dims: [2], data: [anchors - 1, cols] },
      {
        name: 'background_row',
        elemType: 'float',
        dims: [1, 1, cols],
        data: [8, -8, ...new Array<number>(cols - 2).fill(0)],
      },
    ],
  });
}

/** The config of `frameProbe()` under `name`. */
export function frameProbeConfig(name: string): string {
  return config(name, 'TYPE_FP32');
}
