/**
 * Preprocessing parameters, in one place for the inspector, the CLI and the tests, and the pure
 * step from resized 8-bit pixels to the model's input tensor (shared/preprocess does the FP32/FP16
 * arithmetic). Resizing is the caller's: a canvas in the renderer, sharp in the CLI.
 */
import { preprocessedByteSize, preprocessImage } from '../preprocess';
import type { ImageInput } from '../contract/schemas';
import type { InputSpec } from './inputSpec';

export interface PreprocessSettings {
  channelOrder: 'RGB' | 'BGR';
  /** Multiplier applied to each 0..255 sample before mean/std. */
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
  /** 'auto' = the model input's datatype from its metadata. */
  dtype: 'auto' | 'FP32' | 'FP16';
  /**
   * How a frame is resized to the input: 'opencv' = cv2.resize INTER_LINEAR reproduced
   * (resizeBilinear; matches the Python pipeline within 1/255), 'canvas' = the browser's smoothed
   * drawImage (faster, but differs from cv2 by several steps at edges). Default 'opencv'.
   */
  resize?: 'opencv' | 'canvas';
}

/**
 * The default for lane models: LaneATT's own pipeline, as our users' Python clients run it:
 * cv2.imread (BGR), bilinear resize, / 255, no mean/std. The bundled demo models are trained on it.
 */
export const LANE_PREPROCESS: Readonly<PreprocessSettings> = Object.freeze({
  channelOrder: 'BGR',
  scale: 1 / 255,
  mean: [0, 0, 0] as [number, number, number],
  std: [1, 1, 1] as [number, number, number],
  dtype: 'auto',
  resize: 'opencv',
});

/** ImageNet mean/std, what UFLD and many backbones were trained with. */
export const IMAGENET = {
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};

export interface InputTensor {
  name: string;
  datatype: 'FP32' | 'FP16' | 'UINT8';
  shape: number[];
  data: Uint8Array;
}

/** Byte size of the tensor buildInputTensor makes for `spec`; 0 for datatypes it does not build. */
export function inputTensorByteSize(spec: InputSpec, pre: PreprocessSettings): number {
  const dt = pre.dtype === 'auto' ? spec.datatype : pre.dtype;
  if (dt === 'UINT8') return 3 * spec.width * spec.height;
  return dt === 'FP32' || dt === 'FP16' ? preprocessedByteSize(spec.width, spec.height, dt) : 0;
}

/**
 * The image as the services widen it (contract ImageInput): the UINT8 planes buildInputTensor makes
 * for `spec` in its channel order, with scale, mean and std per plane (given in R,G,B order in
 * `pre`, reordered to the planes) so that widenPlanes gives exactly buildInputTensor's FP32/FP16
 * tensor. Null where the tensor is sent as it is: UINT8 inputs (already 1 byte a sample) and
 * layouts other than planar.
 */
export function packImageInput(
  pixels: Uint8Array | Uint8ClampedArray,
  spec: InputSpec,
  pre: PreprocessSettings,
  channels: 3 | 4 = 4,
  outBuffer?: Uint8Array,
): ImageInput | null {
  const dt = pre.dtype === 'auto' ? spec.datatype : pre.dtype;
  if ((dt !== 'FP32' && dt !== 'FP16') || spec.layout !== 'NCHW') return null;
  const planes = buildInputTensor(
    pixels,
    { ...spec, datatype: 'UINT8' },
    { ...pre, dtype: 'auto' },
    channels,
    outBuffer,
  );
  const order = pre.channelOrder === 'BGR' ? ([2, 1, 0] as const) : ([0, 1, 2] as const);
  return {
    name: spec.name,
    datatype: dt,
    shape: spec.shape,
    planes: planes.data,
    scale: pre.scale,
    mean: [pre.mean[order[0]], pre.mean[order[1]], pre.mean[order[2]]],
    std: [pre.std[order[0]], pre.std[order[1]], pre.std[order[2]]],
  };
}

/**
 * Resized pixels (RGBA from a canvas, or RGB from sharp: `channels`) -> the input tensor `spec`
 * describes. FP32/FP16 are planar (CHW); UINT8 (a model that normalises itself) follows the layout.
 * `outBuffer`: a buffer of exactly the tensor's size to write into (reused across video frames);
 * ignored when its size does not fit the tensor (a new buffer is made).
 */
export function buildInputTensor(
  pixels: Uint8Array | Uint8ClampedArray,
  spec: InputSpec,
  pre: PreprocessSettings,
  channels: 3 | 4 = 4,
  outBuffer?: Uint8Array,
): InputTensor {
  const { width, height } = spec;
  const dt = pre.dtype === 'auto' ? spec.datatype : pre.dtype;
  if (pixels.length !== width * height * channels)
    throw new Error(
      `input '${spec.name}': ${pixels.length} pixel bytes for ${width}x${height}x${channels}, expected ${width * height * channels}`,
    );
  if (dt === 'UINT8') {
    const plane = width * height;
    const out = outBuffer && outBuffer.byteLength === 3 * plane ? outBuffer : new Uint8Array(3 * plane);
    const bgr = pre.channelOrder === 'BGR';
    for (let i = 0, s = 0; i < plane; i++, s += channels) {
      const r = pixels[s],
        g = pixels[s + 1],
        b = pixels[s + 2];
      if (spec.layout === 'NHWC') {
        out[i * 3] = bgr ? b : r;
        out[i * 3 + 1] = g;
        out[i * 3 + 2] = bgr ? r : b;
      } else {
        out[i] = bgr ? b : r;
        out[plane + i] = g;
        out[2 * plane + i] = bgr ? r : b;
      }
    }
    return { name: spec.name, datatype: 'UINT8', shape: spec.shape, data: out };
  }
  if (dt !== 'FP32' && dt !== 'FP16')
    throw new Error(`input '${spec.name}' has datatype ${dt}; image tensors are built as FP32, FP16 or UINT8`);
  if (spec.layout !== 'NCHW') throw new Error(`input '${spec.name}' is HWC; ${dt} tensors are built planar (CHW) only`);
  const data = preprocessImage(pixels, {
    width,
    height,
    channels,
    dtype: dt,
    channelOrder: pre.channelOrder,
    scale: pre.scale,
    mean: pre.mean,
    std: pre.std,
    out: outBuffer && outBuffer.byteLength === preprocessedByteSize(width, height, dt) ? outBuffer : undefined,
  });
  return { name: spec.name, datatype: dt, shape: spec.shape, data };
}
