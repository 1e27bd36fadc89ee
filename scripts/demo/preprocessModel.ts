/**
 * The demo pipeline's first step as an ONNX model: a camera frame as delivered by a client
 * (UINT8 HWC RGB, already resized to 360x640) -> the lane model's input (FP32 [1,3,360,640] / 255).
 */
import { buildOnnxModel } from '../onnx/builder';

export const PREPROCESS_INPUT = 'INPUT0';
export const PREPROCESS_OUTPUT = 'OUTPUT0';

export function buildPreprocessModel(): Uint8Array {
  return buildOnnxModel({
    name: 'lane_preprocess',
    docString: 'UINT8 HWC RGB image [360,640,3] -> FP32 NCHW [1,3,360,640] scaled to [0,1].',
    inputs: [{ name: PREPROCESS_INPUT, elemType: 'uint8', shape: [360, 640, 3] }],
    outputs: [{ name: PREPROCESS_OUTPUT, elemType: 'float', shape: [1, 3, 360, 640] }],
    nodes: [
      { op: 'Cast', inputs: [PREPROCESS_INPUT], outputs: ['as_float'], attrs: { to: 1 } },
      { op: 'Transpose', inputs: ['as_float'], outputs: ['chw'], attrs: { perm: [2, 0, 1] } },
      { op: 'Div', inputs: ['chw', 'scale'], outputs: ['scaled'] },
      { op: 'Unsqueeze', inputs: ['scaled', 'batch_axis'], outputs: [PREPROCESS_OUTPUT] },
    ],
    initializers: [
      { name: 'scale', elemType: 'float', dims: [], data: [255] },
      { name: 'batch_axis', elemType: 'int64', dims: [1], data: [0] },
    ],
  });
}
