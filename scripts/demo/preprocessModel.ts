/**
 * The demo pipeline's first step as an ONNX model, doing LaneATT's preprocessing server-side:
 * a camera frame as a client sends it (UINT8 [N, H, W, 3], BGR like cv2.imread, any size) ->
 * bilinear resize to 640x360 -> / 255, no mean or std -> FP32 [N, 3, 360, 640] for laneDetect_model.
 * The resize uses half-pixel centres, the convention of OpenCV's INTER_LINEAR (without antialiasing).
 */
import { buildOnnxModel } from '../onnx/builder';

export const PREPROCESS_INPUT = 'IMAGE';
export const PREPROCESS_OUTPUT = 'input';

export function buildPreprocessModel(): Uint8Array {
  return buildOnnxModel({
    name: 'laneDetect_preprocess',
    opset: 13,
    docString:
      'LaneATT preprocessing: UINT8 BGR image [1,H,W,3] -> bilinear resize to 360x640 -> /255 -> FP32 NCHW [1,3,360,640].',
    // The batch dimension is symbolic: Triton requires it to be -1 in the model when the config batches.
    inputs: [{ name: PREPROCESS_INPUT, elemType: 'uint8', shape: ['batch', 'height', 'width', 3] }],
    outputs: [{ name: PREPROCESS_OUTPUT, elemType: 'float', shape: ['batch', 3, 360, 640] }],
    nodes: [
      { op: 'Cast', inputs: [PREPROCESS_INPUT], outputs: ['as_float'], attrs: { to: 1 } },
      { op: 'Transpose', inputs: ['as_float'], outputs: ['nchw'], attrs: { perm: [0, 3, 1, 2] } },
      // sizes = [batch of the input, 3, 360, 640]
      { op: 'Shape', inputs: ['nchw'], outputs: ['in_shape'] },
      { op: 'Gather', inputs: ['in_shape', 'batch_axis'], outputs: ['batch'], attrs: { axis: 0 } },
      { op: 'Concat', inputs: ['batch', 'chw'], outputs: ['sizes'], attrs: { axis: 0 } },
      {
        op: 'Resize',
        inputs: ['nchw', '', '', 'sizes'],
        outputs: ['resized'],
        attrs: { mode: 'linear', coordinate_transformation_mode: 'half_pixel' },
      },
      { op: 'Div', inputs: ['resized', 'scale'], outputs: [PREPROCESS_OUTPUT] },
    ],
    initializers: [
      { name: 'scale', elemType: 'float', dims: [], data: [255] },
      { name: 'batch_axis', elemType: 'int64', dims: [1], data: [0] },
      { name: 'chw', elemType: 'int64', dims: [3], data: [3, 360, 640] },
    ],
  });
}
