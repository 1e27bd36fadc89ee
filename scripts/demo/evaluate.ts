/**
 * Scores a LaneATT-layout model on demo frames: image file -> LaneATT preprocessing (BGR, bilinear
 * 640x360, /255) -> onnxruntime ->
 * the app's own LaneATT decoder (shared/lanes) -> TuSimple prediction -> TuSimple accuracy against
 * the generator's ground truth. Used by the demo tests and by `scripts/demo/evaluate-cli.ts`.
 */
import sharp from 'sharp';
import ort from 'onnxruntime-node';
import { decodeLaneAtt, type LaneAttOptions } from '../../shared/lanes/laneatt';
import { lanesToTusimpleFrame, type TusimpleFrame } from '../../shared/lanes/tusimple';
import { tusimpleAccuracy, type TusimpleSequenceScore } from '../../shared/lanes/tusimpleMetric';
import { preprocessImage } from '../../shared/preprocess';
import { resizeBilinear } from '../../shared/inference/resize';
import { float32ToFp16, fp16ToFloat32 } from '../../shared/tensor/half';
import type { TuSimpleRecord } from './scene';

/** TuSimple test configuration of LaneATT (cfgs/laneatt_tusimple_*.yml). */
export const TUSIMPLE_DECODE = { conf: 0.2, nms: 45, topk: 5 } as const;

/** LaneATT's preprocessing of an image file (or encoded bytes): BGR, bilinear 640x360, /255, no mean/std. */
export async function imageToInput(image: string | Uint8Array): Promise<Float32Array> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  const rgb = resizeBilinear(new Uint8Array(data), info.width, info.height, 3, 640, 360);
  const bytes = preprocessImage(rgb, { width: 640, height: 360, channels: 3, channelOrder: 'BGR', scale: 1 / 255 });
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function toFloat16(input: Float32Array): Uint16Array {
  // shared/tensor's converter: allocation-free (the builder's allocates per value, ~1 s per frame here).
  const out = new Uint16Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = float32ToFp16(input[i]);
  return out;
}

export async function runLaneModel(
  session: ort.InferenceSession,
  input: Float32Array,
  fp16 = false,
): Promise<Float32Array> {
  const tensor = fp16
    ? new ort.Tensor('float16', toFloat16(input), [1, 3, 360, 640])
    : new ort.Tensor('float32', input, [1, 3, 360, 640]);
  const out = await session.run({ input: tensor });
  const raw = out.predict_lanes;
  if (!raw || raw.dims.join(',') !== '1,2784,77') throw new Error(`unexpected output ${raw?.dims.join('x')}`);
  if (raw.type === 'float16') return Float32Array.from(raw.data as Uint16Array, fp16ToFloat32);
  return raw.data as Float32Array;
}

/** LaneATT decode settings (conf, nms, topk); TUSIMPLE_DECODE where not given. */
export type DecodeSettings = Pick<LaneAttOptions, 'conf' | 'nms' | 'topk'>;

export function rawToTusimple(
  raw: Float32Array,
  rawFile: string,
  hSamples: readonly number[],
  decode: DecodeSettings = {},
): TusimpleFrame {
  const { lanes } = decodeLaneAtt(raw, { ...TUSIMPLE_DECODE, ...decode, origW: 1280, origH: 720 });
  return lanesToTusimpleFrame(lanes, rawFile, hSamples, 1280, 720);
}

export interface EvaluationResult {
  score: TusimpleSequenceScore;
  predictions: TusimpleFrame[];
  /** With `keepRaw`: the model's raw `predict_lanes` output per frame, in frame order (else empty). */
  raws: Float32Array[];
  msPerFrame: number;
}

/** Run a model over frames (image path/bytes + GT) and score the predictions. */
export async function evaluateLaneModel(
  model: string | Uint8Array,
  frames: { image: string | Uint8Array; gt: TuSimpleRecord }[],
  opts: { fp16?: boolean; decode?: DecodeSettings; keepRaw?: boolean } = {},
): Promise<EvaluationResult> {
  const session = await ort.InferenceSession.create(model as Uint8Array);
  const predictions: TusimpleFrame[] = [];
  const raws: Float32Array[] = [];
  let ms = 0;
  try {
    for (const f of frames) {
      const input = await imageToInput(f.image);
      const t0 = performance.now();
      const raw = await runLaneModel(session, input, opts.fp16);
      ms += performance.now() - t0;
      // Opt-in: 0.86 MB per frame, which a run over a whole folder need not hold.
      if (opts.keepRaw) raws.push(raw);
      predictions.push(rawToTusimple(raw, f.gt.raw_file, f.gt.h_samples, opts.decode));
    }
  } finally {
    await session.release();
  }
  const score = tusimpleAccuracy(
    predictions,
    frames.map((f) => f.gt as TusimpleFrame),
  );
  return { score, predictions, raws, msPerFrame: ms / Math.max(1, frames.length) };
}

/** Decode a video with ffmpeg into raw RGB frames (every `step`-th frame), resized to w x h. */
export async function readVideoFrames(
  path: string,
  opts: { step?: number; width?: number; height?: number } = {},
): Promise<{ index: number; rgb: Uint8Array }[]> {
  const { spawn } = await import('node:child_process');
  const step = opts.step ?? 1;
  const w = opts.width ?? 640;
  const h = opts.height ?? 360;
  const proc = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      path,
      '-vf',
      `scale=${w}:${h}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const chunks: Buffer[] = [];
  const errs: string[] = [];
  proc.stdout.on('data', (d: Buffer) => chunks.push(d));
  proc.stderr.on('data', (d) => errs.push(String(d)));
  await new Promise<void>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg failed decoding ${path}: ${errs.join('').trim()}`)),
    );
  });
  const all = Buffer.concat(chunks);
  const size = w * h * 3;
  const out: { index: number; rgb: Uint8Array }[] = [];
  for (let i = 0; i * size < all.length; i += step)
    out.push({ index: i, rgb: new Uint8Array(all.buffer, all.byteOffset + i * size, size) });
  return out;
}

/** Raw RGB 640x360 -> encoded PNG bytes (so video frames go through the same path as image files). */
export async function rawToPng(rgb: Uint8Array, width = 640, height = 360): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer(),
  );
}
