/**
 * Image pixels -> model input tensor bytes, per video frame, so it is written to allocate nothing in
 * steady state: per-channel 256-entry lookup tables turn each 8-bit sample into its final FP32 value
 * or FP16 bit pattern ((v * scale - mean) / std, computed once per distinct setting), and the output
 * buffer can be reused across frames. Resizing is not done here (the caller resizes first).
 *
 * Input: interleaved 8-bit pixels, W x H, 3 (RGB) or 4 (RGBA) channels, row-major, as delivered by
 * canvas ImageData or sharp's raw output. Output: planar CHW (3 x H x W), little-endian FP32 or FP16
 * bytes, channel order RGB or BGR — exactly the `raw_input_contents` of a [1,3,H,W] NCHW input.
 */
import { fp16BitsFromFloat32Bits } from './tensor/half';
import { TensorError } from './tensor/datatypes';

export interface PreprocessOptions {
  width: number;
  height: number;
  /** Samples per input pixel: 3 (RGB) or 4 (RGBA, alpha ignored). Default 4. */
  channels?: 3 | 4;
  dtype?: 'FP32' | 'FP16';
  /** Order of the three output planes. Default 'RGB'. */
  channelOrder?: 'RGB' | 'BGR';
  /** Multiplier applied to each 0..255 sample first. Default 1/255. */
  scale?: number;
  /** Per output-plane mean and std (in the scaled units, listed in R,G,B order). Default 0 and 1. */
  mean?: readonly [number, number, number];
  std?: readonly [number, number, number];
  /** Buffer to write into (reused across frames); must be exactly 3*W*H*elementSize bytes, aligned. */
  out?: Uint8Array;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Tables {
  key: string;
  fp32?: Float32Array[];
  fp16?: Uint16Array[];
  /** FP16, per plane: two samples (the low byte first) -> their two halves in one 32-bit word (made on first use). */
  fp16Pairs?: Uint32Array[];
}
let cached: Tables | undefined; // settings rarely change between frames: one-entry cache

function tablesFor(dtype: 'FP32' | 'FP16', scale: number, mean: readonly number[], std: readonly number[]): Tables {
  const key = `${dtype}|${scale}|${mean.join(',')}|${std.join(',')}`;
  if (cached?.key === key) return cached;
  const fp32 = [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = (v * scale - mean[c]) / std[c];
    return t;
  });
  if (dtype === 'FP32') {
    cached = { key, fp32 };
  } else {
    const bits = new Uint32Array(1);
    const f = new Float32Array(bits.buffer);
    const fp16 = fp32.map((t) => {
      const h = new Uint16Array(256);
      for (let v = 0; v < 256; v++) {
        f[0] = t[v]!;
        h[v] = fp16BitsFromFloat32Bits(bits[0]);
      }
      return h;
    });
    cached = { key, fp16 };
  }
  return cached;
}

/** Little-endian pairs: the 16-bit word (a | b << 8) of samples a, b -> (half(a) | half(b) << 16). */
function pairTable(halves: Uint16Array): Uint32Array {
  const pairs = new Uint32Array(65536);
  for (let b = 0; b < 256; b++) {
    const high = halves[b] << 16;
    for (let a = 0; a < 256; a++) pairs[a | (b << 8)] = (halves[a] | high) >>> 0;
  }
  return pairs;
}

/** Byte size of the CHW tensor preprocessImage produces. */
export function preprocessedByteSize(width: number, height: number, dtype: 'FP32' | 'FP16' = 'FP32'): number {
  return 3 * width * height * (dtype === 'FP32' ? 4 : 2);
}

export function preprocessImage(pixels: Uint8Array | Uint8ClampedArray, options: PreprocessOptions): Uint8Array {
  const { width: w, height: h } = options;
  const channels = options.channels ?? 4;
  const dtype = options.dtype ?? 'FP32';
  const scale = options.scale ?? 1 / 255;
  const mean = options.mean ?? [0, 0, 0];
  const std = options.std ?? [1, 1, 1];
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) {
    throw new TensorError(`preprocess: width and height must be positive integers, got ${w}x${h}`);
  }
  if (channels !== 3 && channels !== 4)
    throw new TensorError(`preprocess: channels must be 3 or 4, got ${channels as number}`);
  if (pixels.length !== w * h * channels) {
    throw new TensorError(
      `preprocess: ${w}x${h} pixels with ${channels} channels need ${w * h * channels} bytes, got ${pixels.length}`,
    );
  }
  if (std.some((s) => s === 0 || !Number.isFinite(s)))
    throw new TensorError(`preprocess: std must be finite and non-zero, got [${std.join(',')}]`);
  if (!LITTLE_ENDIAN_HOST) throw new TensorError('preprocess: big-endian hosts are not supported');
  const plane = w * h;
  const elementSize = dtype === 'FP32' ? 4 : 2;
  const byteLength = 3 * plane * elementSize;
  const out = outputBuffer(options.out, byteLength, elementSize, 'preprocess');
  const bgr = options.channelOrder === 'BGR';
  // Output plane p takes source channel src[p]; the tables are indexed by source (R,G,B) channel.
  const rPlane = bgr ? 2 : 0;
  const bPlane = bgr ? 0 : 2;
  const tables = tablesFor(dtype, scale, mean, std);
  if (dtype === 'FP32') {
    const dst = new Float32Array(out.buffer, out.byteOffset, 3 * plane);
    const [tr, tg, tb] = tables.fp32!;
    const ro = rPlane * plane,
      go = plane,
      bo = bPlane * plane;
    for (let i = 0, s = 0; i < plane; i++, s += channels) {
      dst[ro + i] = tr[pixels[s]]!;
      dst[go + i] = tg[pixels[s + 1]]!;
      dst[bo + i] = tb[pixels[s + 2]]!;
    }
  } else {
    const dst = new Uint16Array(out.buffer, out.byteOffset, 3 * plane);
    const [tr, tg, tb] = tables.fp16!;
    const ro = rPlane * plane,
      go = plane,
      bo = bPlane * plane;
    for (let i = 0, s = 0; i < plane; i++, s += channels) {
      dst[ro + i] = tr[pixels[s]]!;
      dst[go + i] = tg[pixels[s + 1]]!;
      dst[bo + i] = tb[pixels[s + 2]]!;
    }
  }
  return out;
}

/** The caller's output buffer, checked for size and alignment, or a new one of `byteLength` bytes. */
function outputBuffer(out: Uint8Array | undefined, byteLength: number, elementSize: number, what: string): Uint8Array {
  if (!out) return new Uint8Array(byteLength);
  if (out.byteLength !== byteLength)
    throw new TensorError(`${what}: output buffer has ${out.byteLength} bytes, needs ${byteLength}`);
  if (out.byteOffset % elementSize !== 0)
    throw new TensorError(`${what}: output buffer offset ${out.byteOffset} is not ${elementSize}-byte aligned`);
  return out;
}

/**
 * 8-bit planes (a UINT8 CHW image, planes already in the model's channel order) -> the FP32/FP16
 * tensor bytes preprocessImage would make from the same pixels: plane p's samples become
 * (v * scale - mean[p]) / std[p] through the same lookup tables. An image crosses the renderer ->
 * services hop as these planes (1 byte a sample, against 2 for FP16 and 4 for FP32) and is widened
 * here, in the services, straight into the request buffer.
 */
export function widenPlanes(
  planes: Uint8Array,
  options: {
    dtype: 'FP32' | 'FP16';
    scale: number;
    /** Per plane, in the order the planes come. */
    mean: readonly [number, number, number];
    std: readonly [number, number, number];
    out?: Uint8Array;
  },
): Uint8Array {
  const { dtype, scale, mean, std } = options;
  if (planes.byteLength % 3 !== 0 || planes.byteLength === 0)
    throw new TensorError(`widen: ${planes.byteLength} bytes are not 3 equal planes`);
  if (std.some((v) => v === 0 || !Number.isFinite(v)))
    throw new TensorError(`widen: std must be finite and non-zero, got [${std.join(',')}]`);
  if (!LITTLE_ENDIAN_HOST) throw new TensorError('widen: big-endian hosts are not supported');
  const plane = planes.byteLength / 3;
  const elementSize = dtype === 'FP32' ? 4 : 2;
  const byteLength = 3 * plane * elementSize;
  const out = outputBuffer(options.out, byteLength, elementSize, 'widen');
  // tablesFor indexes mean/std by table; plane p uses table p here.
  const tables = tablesFor(dtype, scale, mean, std);
  for (let p = 0; p < 3; p++) {
    const src = planes.subarray(p * plane, (p + 1) * plane);
    if (dtype === 'FP32') {
      // The table's bit patterns copied as integers: the same bytes, and faster than float loads and
      // stores (1.2 against 1.9 ms for a 640x360 frame in Node).
      const dst = new Uint32Array(out.buffer, out.byteOffset + p * plane * 4, plane);
      const t = new Uint32Array(tables.fp32![p].buffer);
      for (let i = 0; i < plane; i++) dst[i] = t[src[i]]!;
    } else if (plane % 2 === 0 && src.byteOffset % 2 === 0 && (out.byteOffset + p * plane * 2) % 4 === 0) {
      // Two samples per step through a 64K-entry table: about twice as fast as one at a time (0.9-1.0
      // against 2.0-2.3 ms for a 640x360 frame in Node), and the services widen every FP16 frame sent.
      const pairs = (tables.fp16Pairs ??= tables.fp16!.map(pairTable))[p];
      const src2 = new Uint16Array(src.buffer, src.byteOffset, plane / 2);
      const dst2 = new Uint32Array(out.buffer, out.byteOffset + p * plane * 2, plane / 2);
      for (let i = 0; i < src2.length; i++) dst2[i] = pairs[src2[i]]!;
    } else {
      const dst = new Uint16Array(out.buffer, out.byteOffset + p * plane * 2, plane);
      const t = tables.fp16![p];
      for (let i = 0; i < plane; i++) dst[i] = t[src[i]]!;
    }
  }
  return out;
}
