/**
 * One frame through a model: resize the frame to the model input with a canvas, build the input
 * tensor with shared/inference (the input detection and preprocessing the CLI uses too), send it, and turn the output back into float32 values. Timed per
 * stage for the latency breakdown.
 */
import { decodeTensor } from '../../../shared/tensor/codec';
import {
  buildInputTensor,
  imageInputOf,
  pickLaneOutput,
  resizeBilinear,
  type PreprocessSettings,
} from '../../../shared/inference';
import type { ModelMetadata } from '../../../shared/contract';
import { getApi } from '../../api';
import type { RawResult } from '../state/inference';

/** One 2D canvas per size, reused across frames. */
const canvases = new Map<string, OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D>();
function context(w: number, h: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  const key = `${w}x${h}`;
  let ctx = canvases.get(key);
  if (!ctx) {
    const canvas =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(w, h)
        : Object.assign(document.createElement('canvas'), { width: w, height: h });
    const c = canvas.getContext('2d', { willReadFrequently: true });
    if (!c) throw new Error('2D canvas is not available');
    canvases.set(key, (ctx = c));
  }
  return ctx;
}

/**
 * The frame's RGBA pixels at w x h. 'opencv': read at the frame's own size, then resized exactly as
 * cv2.resize INTER_LINEAR does (shared/inference resizeBilinear); 'canvas': the browser scales.
 */
export function framePixels(
  source: CanvasImageSource,
  frameW: number,
  frameH: number,
  w: number,
  h: number,
  mode: 'opencv' | 'canvas' = 'opencv',
): Uint8ClampedArray | Uint8Array {
  if (mode === 'canvas' || (frameW === w && frameH === h)) {
    const ctx = context(w, h);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h).data;
  }
  const ctx = context(frameW, frameH);
  ctx.drawImage(source, 0, 0, frameW, frameH);
  const full = ctx.getImageData(0, 0, frameW, frameH).data;
  return resizeBilinear(full, frameW, frameH, 4, w, h);
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
  const pixels = framePixels(args.source, args.frameW, args.frameH, spec.width, spec.height, args.pre.resize);
  const tPixels = performance.now();
  const input = buildInputTensor(pixels, spec, args.pre);
  const outName = pickLaneOutput(args.meta);
  const t1 = performance.now();
  const res = await getApi().infer({
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
    timing: {
      preprocessMs: t1 - t0,
      captureMs: tPixels - t0,
      tensorMs: t1 - tPixels,
      requestMs: t2 - t1,
      rpcMs: res.timing.rpcMs,
      servicesMs: res.timing.totalMs,
    },
    at: performance.now(),
  };
}
