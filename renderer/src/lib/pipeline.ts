/**
 * One frame through a model: resize the frame to the model input with a canvas, build the input
 * tensor with shared/preprocess, send it, and turn the output back into float32 values. Timed per
 * stage for the latency breakdown.
 */
import { preprocessImage } from '../../../shared/preprocess';
import { decodeTensor } from '../../../shared/tensor/codec';
import type { ModelMetadata } from './backend';
import { backend } from './backend';
import type { PreprocessSettings } from '../state/inspector';
import type { RawResult } from '../state/inference';

export interface InputSpec {
  name: string;
  datatype: string;
  /** Shape to send (batch dim resolved to 1). */
  shape: number[];
  layout: 'NCHW' | 'NHWC';
  width: number;
  height: number;
}

/**
 * Finds the image input of a model from its metadata: a 4-D (or 3-D, no batch) tensor with 3
 * channels first (CHW) or last (HWC). Variable dims (-1) are resolved: batch -> 1.
 */
export function imageInputOf(meta: ModelMetadata): InputSpec {
  if (!meta.inputs.length) throw new Error(`${meta.name}: the model has no inputs`);
  for (const t of meta.inputs) {
    const shape = t.shape.length === 3 ? [1, ...t.shape] : [...t.shape];
    if (shape.length !== 4) continue;
    shape[0] = shape[0] < 0 ? 1 : shape[0];
    if (shape[1] === 3 && shape[2] > 0 && shape[3] > 0) {
      return {
        name: t.name,
        datatype: t.datatype,
        shape: t.shape.length === 3 ? shape.slice(1) : shape,
        layout: 'NCHW',
        height: shape[2],
        width: shape[3],
      };
    }
    if (shape[3] === 3 && shape[1] > 0 && shape[2] > 0) {
      return {
        name: t.name,
        datatype: t.datatype,
        shape: t.shape.length === 3 ? shape.slice(1) : shape,
        layout: 'NHWC',
        height: shape[1],
        width: shape[2],
      };
    }
  }
  const desc = meta.inputs.map((t) => `${t.name} ${t.datatype} [${t.shape.join(',')}]`).join(', ');
  throw new Error(`${meta.name}: no image input with a fixed 3 x H x W (or H x W x 3) shape among: ${desc}`);
}

/** Draws `source` resized to w x h and returns its RGBA pixels. One canvas per size, reused. */
const canvases = new Map<string, { ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D }>();
export function framePixels(source: CanvasImageSource, w: number, h: number): Uint8ClampedArray {
  const key = `${w}x${h}`;
  let c = canvases.get(key);
  if (!c) {
    const canvas =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(w, h)
        : Object.assign(document.createElement('canvas'), { width: w, height: h });
    const ctx = canvas.getContext('2d', { willReadFrequently: true }) as
      OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!ctx) throw new Error('2D canvas is not available');
    c = { ctx };
    canvases.set(key, c);
  }
  c.ctx.imageSmoothingEnabled = true;
  c.ctx.imageSmoothingQuality = 'high';
  c.ctx.drawImage(source, 0, 0, w, h);
  return c.ctx.getImageData(0, 0, w, h).data;
}

export function buildInputTensor(
  pixels: Uint8ClampedArray,
  spec: InputSpec,
  pre: PreprocessSettings,
): { name: string; datatype: 'FP32' | 'FP16' | 'UINT8'; shape: number[]; data: Uint8Array } {
  const { width, height } = spec;
  const dt = pre.dtype === 'auto' ? spec.datatype : pre.dtype;
  if (dt === 'UINT8') {
    // Raw pixels, e.g. for a model (or ensemble) that does its own normalisation.
    const plane = width * height;
    const out = new Uint8Array(3 * plane);
    const bgr = pre.channelOrder === 'BGR';
    for (let i = 0, s = 0; i < plane; i++, s += 4) {
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
    throw new Error(`input '${spec.name}' has datatype ${dt}; the inspector builds FP32, FP16 or UINT8 image tensors`);
  if (spec.layout !== 'NCHW') throw new Error(`input '${spec.name}' is HWC; ${dt} tensors are built planar (CHW) only`);
  const data = preprocessImage(pixels, {
    width,
    height,
    channels: 4,
    dtype: dt,
    channelOrder: pre.channelOrder,
    scale: pre.scale,
    mean: pre.mean,
    std: pre.std,
  });
  return { name: spec.name, datatype: dt, shape: spec.shape, data };
}

/** The output most likely to be the lane tensor: the largest floating-point output. */
export function pickLaneOutput(meta: ModelMetadata): string | undefined {
  const floats = meta.outputs.filter((o) => /^(FP32|FP16|BF16|FP64)$/.test(o.datatype));
  const size = (s: number[]) => s.reduce((a, d) => a * Math.max(1, d), 1);
  return floats.sort((a, b) => size(b.shape) - size(a.shape))[0]?.name ?? meta.outputs[0]?.name;
}

export async function inferFrame(args: {
  connectionId: string;
  meta: ModelMetadata;
  source: CanvasImageSource;
  frameW: number;
  frameH: number;
  frameKey: string;
  frameIndex: number;
  pre: PreprocessSettings;
}): Promise<RawResult> {
  const t0 = performance.now();
  const spec = imageInputOf(args.meta);
  const pixels = framePixels(args.source, spec.width, spec.height);
  const input = buildInputTensor(pixels, spec, args.pre);
  const outName = pickLaneOutput(args.meta);
  const t1 = performance.now();
  const res = await backend().infer({
    connectionId: args.connectionId,
    model: args.meta.name,
    id: args.frameKey,
    inputs: [input],
    ...(outName ? { outputs: [outName] } : {}),
  });
  const t2 = performance.now();
  const out = res.outputs.find((o) => o.name === outName) ?? res.outputs[0];
  if (!out) throw new Error(`${args.meta.name} returned no outputs`);
  const values = decodeTensor(out.datatype, out.data, { shape: out.shape, copy: true });
  if (!(values instanceof Float32Array))
    throw new Error(`output '${out.name}' is ${out.datatype}; lane decoders need floating-point output`);
  return {
    frameKey: args.frameKey,
    frameIndex: args.frameIndex,
    model: res.model,
    output: { name: out.name, datatype: out.datatype, shape: out.shape, values },
    frameW: args.frameW,
    frameH: args.frameH,
    timing: { preprocessMs: t1 - t0, requestMs: t2 - t1, rpcMs: res.timing.rpcMs },
    at: performance.now(),
  };
}
