/**
 * One image through a lane model, for `tritonscope infer` and `compare`, with the app's own rules:
 * the input is found by shared/inference's input detection, the tensor built by its preprocessing,
 * and the lane output chosen and decoded by its decode policy. Only the resize is the CLI's (sharp).
 */
import sharp from 'sharp';
import {
  buildInputTensor,
  decodeOutput,
  imageInputOf,
  pickLaneOutput,
  resizeBilinear,
  resolveDecoder,
  type DecodedLanes,
  type DecoderSettings,
  type InputSpec,
  type InputTensor,
  type OptionValue,
  type PreprocessSettings,
} from '../../shared/inference';
import { decodeTensor } from '../../shared/tensor/codec';
import type { TritonClientApi } from '../triton/api';
import type { InferResponse, ModelMetadata } from '../triton/types';
import { CliError } from './types';

/** An image file that cannot be read or decoded (a run over a folder can skip it and go on). */
export class ImageFileError extends CliError {}

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * The image's size as shown (after its EXIF orientation, as the app's createImageBitmap and
 * cv2.imread apply it); a file that is not an image fails here, before any network round trip.
 */
export async function readImageSize(path: string): Promise<ImageSize> {
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions');
    // EXIF orientations 5-8 turn the picture by 90 degrees.
    const turned = (meta.orientation ?? 1) >= 5;
    return turned ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  } catch (err) {
    throw new ImageFileError(`cannot read image '${path}': ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Sets the H and W of an image-shaped input (CHW or HWC, with or without batch). */
function withSize(shape: number[], [w, h]: [number, number]): number[] {
  const s = [...shape];
  const off = s.length === 4 ? 1 : 0;
  if (s[off] === 3) [s[off + 1], s[off + 2]] = [h, w];
  else if (s[off + 2] === 3) [s[off], s[off + 1]] = [h, w];
  return s;
}

/** The image input by the shared rules; `--input` restricts the search, `--size` fills variable H/W. */
export function inputSpecFor(metadata: ModelMetadata, inputName?: string, size?: [number, number]): InputSpec {
  let inputs = metadata.inputs;
  if (inputName) {
    inputs = inputs.filter((i) => i.name === inputName);
    if (!inputs.length)
      throw new CliError(
        `model '${metadata.name}' has no input '${inputName}' (inputs: ${metadata.inputs.map((i) => i.name).join(', ')})`,
      );
  }
  if (size) inputs = inputs.map((i) => ({ ...i, shape: withSize(i.shape, size) }));
  try {
    return imageInputOf({ ...metadata, inputs });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Decoded RGB pixels (a video frame). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The image resized (stretched) to the input as the inspector does, and turned into its tensor. */
export async function imageTensor(
  image: string | RawImage,
  spec: InputSpec,
  pre: PreprocessSettings,
): Promise<InputTensor> {
  // Decoded at its own size, then resized exactly as the inspector does (cv2 INTER_LINEAR).
  let full: RawImage = typeof image === 'string' ? { data: new Uint8Array(0), width: 0, height: 0 } : image;
  if (typeof image === 'string') {
    let decoded;
    try {
      // rotate(): upright by the EXIF orientation, as the browser and cv2.imread decode a photo.
      decoded = await sharp(image)
        .rotate()
        .toColourspace('srgb')
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
    } catch (err) {
      // A truncated file can have a readable header and fail only here: name it.
      throw new ImageFileError(`cannot decode image '${image}': ${(err as Error).message}`);
    }
    const { data, info } = decoded;
    if (info.channels !== 3)
      throw new ImageFileError(`image '${image}' decodes to ${info.channels} channels, expected 3`);
    full = { data, width: info.width, height: info.height };
  }
  const data = resizeBilinear(full.data, full.width, full.height, 3, spec.width, spec.height);
  try {
    return buildInputTensor(data, spec, pre, 3);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export interface LaneOutput {
  output: string;
  decoder: DecodedLanes['decoder'];
  options: Record<string, OptionValue>;
  lanes: DecodedLanes['lanes'];
  /** Raw output values (for comparisons). */
  values: Float32Array;
  shape: number[];
}

/**
 * Decodes the lane output (the largest floating-point output) under the decode policy. With
 * 'auto' and no decoder for its shape there are no lanes (null); an explicit decoder that cannot
 * read the output is an error.
 */
export function decodeLaneOutput(
  metadata: ModelMetadata,
  response: InferResponse,
  frame: { w: number; h: number },
  settings: DecoderSettings,
): LaneOutput | null {
  const name = pickLaneOutput(metadata);
  const out = response.outputs.find((o) => o.name === name) ?? response.outputs[0];
  if (!out || !/^(FP32|FP16|BF16|FP64)$/.test(out.datatype)) return null;
  if (settings.id === 'auto' && !resolveDecoder(settings, out.shape)) return null;
  const values = Float32Array.from(decodeTensor(out.datatype, out.data, { shape: out.shape }) as ArrayLike<number>);
  try {
    const d = decodeOutput({ name: out.name, shape: out.shape, values }, frame, settings);
    return { output: out.name, decoder: d.decoder, options: d.options, lanes: d.lanes, values, shape: out.shape };
  } catch (err) {
    throw new CliError(`output '${out.name}': ${(err as Error).message}`);
  }
}

/** Decoder settings from CLI flags: a decoder name (or auto) and option overrides for it. */
export function decoderSettingsFrom(id: string | undefined, overrides: Record<string, OptionValue>): DecoderSettings {
  const name = id ?? 'auto';
  const opts = Object.keys(overrides).length ? overrides : undefined;
  // Overrides apply to whichever decoder the policy picks (the name is only known from the shape).
  return {
    id: name,
    options: opts ? { laneatt: opts, clrnet: opts, ufld: {} } : {},
  };
}

/** Parses --conf/--nms/--topk into option overrides (clear errors naming the flag). */
export function decoderOverrides(values: Record<string, unknown>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [flag, key] of [
    ['conf', 'conf'],
    ['nms', 'nms'],
    ['topk', 'topk'],
  ] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isFinite(n))
      throw new CliError(`--${flag} must be a number, got '${typeof v === 'string' ? v : JSON.stringify(v)}'`, 2);
    out[key] = n;
  }
  return out;
}

/** Infers one tensor and times the round trip. */
export async function inferTensor(
  client: TritonClientApi,
  model: string,
  version: string,
  tensor: InputTensor,
): Promise<{ response: InferResponse; latencyMs: number }> {
  const t0 = performance.now();
  const response = await client.infer({ model, version, inputs: [tensor] });
  return { response, latencyMs: performance.now() - t0 };
}

/** The decode-policy flags that `infer` and `compare` share (values read by decoderOverrides). */
export const DECODER_FLAGS = {
  decoder: { type: 'string' },
  conf: { type: 'string' },
  nms: { type: 'string' },
  topk: { type: 'string' },
} as const;
