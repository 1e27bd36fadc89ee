/**
 * Triton tensor data <-> raw bytes (`raw_input_contents` / `raw_output_contents`): little-endian,
 * row-major, no padding; BYTES elements are a uint32 LE length followed by the bytes.
 *
 * Decoding is zero-copy where it can be: a fixed-size tensor whose bytes are suitably aligned is
 * returned as a typed-array *view* of the same memory (gRPC hands us Buffers that are slices of a
 * larger receive buffer, so alignment varies; misaligned data is copied once). Pass `copy: true`
 * when the result must outlive or be detached from the source bytes.
 */
import { datatypeInfo, elementCount, TensorError, type Datatype } from './datatypes';
import { bf16BitsFromFloat32Bits, fp16BitsFromFloat32Bits, fp16DecodeTable, type Bf16Mode } from './half';

/** A tensor as it travels: name, protocol datatype, full shape (incl. batch dim) and raw bytes. */
export interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: Uint8Array;
}

/** Decoded element values per datatype. 64-bit integers are bigint; FP16/BF16 widen to float32. */
export interface DecodedValues {
  BOOL: boolean[];
  UINT8: Uint8Array;
  UINT16: Uint16Array;
  UINT32: Uint32Array;
  UINT64: BigUint64Array;
  INT8: Int8Array;
  INT16: Int16Array;
  INT32: Int32Array;
  INT64: BigInt64Array;
  FP16: Float32Array;
  BF16: Float32Array;
  FP32: Float32Array;
  FP64: Float64Array;
  BYTES: Uint8Array[];
}
export type TensorValues = DecodedValues[Datatype];

/** Values accepted by encodeTensor: the decoded form, or plain arrays of numbers/bigints/strings. */
export type EncodableValues =
  | ArrayLike<number>
  | ArrayLike<bigint>
  | ArrayLike<number | bigint>
  | ArrayLike<boolean>
  | ReadonlyArray<string | Uint8Array>;

export interface EncodeOptions {
  /** How FP32 values become BF16: 'round' (IEEE nearest-even, default) or 'truncate' (tritonclient). */
  bf16?: Bf16Mode;
  /** Used in error messages, e.g. the tensor name. */
  what?: string;
}

export interface DecodeOptions {
  /** Check that the bytes hold exactly prod(shape) elements. */
  shape?: readonly number[];
  /** Always return freshly allocated arrays instead of views into `bytes`. */
  copy?: boolean;
  what?: string;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedCtor = {
  new (
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): ArrayLike<number | bigint> & { buffer: ArrayBufferLike };
  new (length: number): ArrayLike<number | bigint> & { set(a: ArrayLike<number | bigint>): void };
  BYTES_PER_ELEMENT: number;
};

const VIEW_CTORS: Partial<Record<Datatype, TypedCtor>> = {
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

/**
 * A fresh copy at offset 0. Not `bytes.slice()`: on a Node Buffer (what gRPC hands us) slice() is a
 * view, not a copy.
 */
function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Bytes of a typed array as a Uint8Array view (no copy). */
function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function isTypedArray(v: unknown): v is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/**
 * Encodes values of `datatype` into raw tensor bytes. A typed array that already has the wire
 * element type (e.g. Float32Array for FP32) is returned as a view of its own bytes, not copied.
 * FP16/BF16 accept float values (converted with rounding) — or, to pass pre-converted bit patterns,
 * a Uint16Array.
 */
export function encodeTensor(datatype: string, values: EncodableValues, options: EncodeOptions = {}): Uint8Array {
  const info = datatypeInfo(datatype);
  const what = options.what ?? `${datatype} tensor`;
  const dt = info.datatype;
  if (dt === 'BYTES') return encodeBytes(values as ReadonlyArray<string | Uint8Array>, what);
  if (dt === 'BOOL') {
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = (values as ArrayLike<unknown>)[i];
      if (typeof v !== 'boolean' && v !== 0 && v !== 1) {
        throw new TensorError(`${what}: element ${i} must be a boolean (or 0/1), got ${String(v)}`);
      }
      out[i] = v ? 1 : 0;
    }
    return out;
  }
  if (dt === 'FP16' || dt === 'BF16') {
    if (values instanceof Uint16Array)
      return LITTLE_ENDIAN_HOST
        ? bytesOf(values)
        : encodeViaDataView(values, 2, (dv, o, v) => dv.setUint16(o, Number(v), true));
    const n = values.length;
    const out = new Uint16Array(n);
    const mode = options.bf16 ?? 'round';
    // Read the float32 bit patterns directly when the source is a Float32Array (no per-element Math.fround).
    const srcBits =
      values instanceof Float32Array ? new Uint32Array(values.buffer, values.byteOffset, values.length) : undefined;
    const scratch = new Float32Array(1);
    const scratchBits = new Uint32Array(scratch.buffer);
    for (let i = 0; i < n; i++) {
      let bits: number;
      if (srcBits) bits = srcBits[i]!;
      else {
        const v = (values as ArrayLike<unknown>)[i];
        if (typeof v !== 'number') throw new TensorError(`${what}: element ${i} must be a number, got ${typeof v}`);
        scratch[0] = v;
        bits = scratchBits[0]!;
      }
      out[i] = dt === 'FP16' ? fp16BitsFromFloat32Bits(bits) : bf16BitsFromFloat32Bits(bits, mode);
    }
    return LITTLE_ENDIAN_HOST
      ? bytesOf(out)
      : encodeViaDataView(out, 2, (dv, o, v) => dv.setUint16(o, Number(v), true));
  }
  const Ctor = VIEW_CTORS[dt]!;
  if (isTypedArray(values) && values.constructor === (Ctor as unknown)) {
    return LITTLE_ENDIAN_HOST ? bytesOf(values) : encodeBigEndianHost(dt, values);
  }
  const is64 = dt === 'INT64' || dt === 'UINT64';
  const out = new Ctor(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = (values as ArrayLike<unknown>)[i];
    if (is64) {
      if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isSafeInteger(v))) {
        throw new TensorError(`${what}: element ${i} must be a bigint or safe integer, got ${String(v)}`);
      }
      const b = BigInt(v);
      const [lo, hi] = dt === 'INT64' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
      if (b < lo || b > hi) throw new TensorError(`${what}: element ${i} (${b}) is out of range for ${dt}`);
      (out as unknown as bigint[])[i] = b;
    } else {
      if (typeof v !== 'number') throw new TensorError(`${what}: element ${i} must be a number, got ${typeof v}`);
      if (dt !== 'FP32' && dt !== 'FP64') checkIntegerRange(dt, v, i, what);
      (out as unknown as number[])[i] = v;
    }
  }
  const view = out as unknown as ArrayBufferView;
  return LITTLE_ENDIAN_HOST ? bytesOf(view) : encodeBigEndianHost(dt, out);
}

const INT_RANGES: Record<string, [number, number]> = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
};

function checkIntegerRange(dt: string, v: number, i: number, what: string): void {
  const [lo, hi] = INT_RANGES[dt];
  // Typed arrays would silently wrap (300 -> 44 in UINT8); that is data loss, so refuse.
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new TensorError(`${what}: element ${i} (${v}) is not a ${dt} value (integer in ${lo}..${hi})`);
  }
}

function encodeViaDataView(
  values: ArrayLike<number | bigint>,
  size: number,
  set: (dv: DataView, o: number, v: number | bigint) => void,
): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) set(dv, i * size, values[i]);
  return out;
}

function encodeBigEndianHost(dt: Datatype, values: ArrayLike<number | bigint>): Uint8Array {
  const size = datatypeInfo(dt).byteSize!;
  const setters: Record<string, (dv: DataView, o: number, v: number | bigint) => void> = {
    UINT8: (d, o, v) => d.setUint8(o, Number(v)),
    INT8: (d, o, v) => d.setInt8(o, Number(v)),
    UINT16: (d, o, v) => d.setUint16(o, Number(v), true),
    INT16: (d, o, v) => d.setInt16(o, Number(v), true),
    UINT32: (d, o, v) => d.setUint32(o, Number(v), true),
    INT32: (d, o, v) => d.setInt32(o, Number(v), true),
    UINT64: (d, o, v) => d.setBigUint64(o, BigInt(v), true),
    INT64: (d, o, v) => d.setBigInt64(o, BigInt(v), true),
    FP32: (d, o, v) => d.setFloat32(o, Number(v), true),
    FP64: (d, o, v) => d.setFloat64(o, Number(v), true),
  };
  return encodeViaDataView(values, size, setters[dt]);
}

interface TextCodec {
  encode(s: string): Uint8Array;
  decode(b: Uint8Array): string;
}
// TextEncoder/TextDecoder exist in every runtime we target (Node, Chromium) but are not part of the
// pure ES2022 lib that shared/ is type-checked against, so they are looked up on globalThis.
const textGlobals = globalThis as unknown as {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label?: string, opts?: { fatal?: boolean }) => { decode(b: Uint8Array): string };
};
let text: TextCodec | undefined;
function textCodec(): TextCodec {
  if (!text) {
    const enc = new textGlobals.TextEncoder();
    const dec = new textGlobals.TextDecoder('utf-8', { fatal: true });
    text = { encode: (s) => enc.encode(s), decode: (b) => dec.decode(b) };
  }
  return text;
}

function encodeBytes(values: ReadonlyArray<string | Uint8Array>, what: string): Uint8Array {
  const parts = new Array<Uint8Array>(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const b = typeof v === 'string' ? textCodec().encode(v) : v instanceof Uint8Array ? v : undefined;
    if (!b) throw new TensorError(`${what}: BYTES element ${i} must be a string or Uint8Array`);
    if (b.length > 0xffffffff) throw new TensorError(`${what}: BYTES element ${i} is longer than 4 GiB`);
    parts[i] = b;
    total += 4 + b.length;
  }
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const b of parts) {
    dv.setUint32(o, b.length, true);
    out.set(b, o + 4);
    o += 4 + b.length;
  }
  return out;
}

/** Splits BYTES tensor data into its elements (views into `bytes`). */
export function decodeBytesElements(bytes: Uint8Array, expectedCount?: number, what = 'BYTES tensor'): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  while (o < bytes.length) {
    if (o + 4 > bytes.length) {
      throw new TensorError(
        `${what}: incomplete length indicator for element ${out.length} at byte ${o} (only ${bytes.length - o} bytes left)`,
      );
    }
    const len = dv.getUint32(o, true);
    if (o + 4 + len > bytes.length) {
      throw new TensorError(
        `${what}: element ${out.length} declares ${len} bytes at byte ${o} but only ${bytes.length - o - 4} remain`,
      );
    }
    out.push(bytes.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  if (expectedCount !== undefined && out.length !== expectedCount) {
    throw new TensorError(`${what}: expected ${expectedCount} string elements, got ${out.length}`);
  }
  return out;
}

/** BYTES elements as UTF-8 strings (throws on invalid UTF-8 rather than inventing U+FFFD). */
export function bytesElementsToStrings(elements: readonly Uint8Array[], what = 'BYTES tensor'): string[] {
  return elements.map((e, i) => {
    try {
      return textCodec().decode(e);
    } catch {
      throw new TensorError(`${what}: element ${i} is not valid UTF-8`);
    }
  });
}

/** Decodes raw tensor bytes into values (see DecodedValues for the type per datatype). */
export function decodeTensor<D extends Datatype>(
  datatype: D,
  bytes: Uint8Array,
  options?: DecodeOptions,
): DecodedValues[D];
export function decodeTensor(datatype: string, bytes: Uint8Array, options?: DecodeOptions): TensorValues;
export function decodeTensor(datatype: string, bytes: Uint8Array, options: DecodeOptions = {}): TensorValues {
  const info = datatypeInfo(datatype);
  const what = options.what ?? `${datatype} tensor`;
  const dt = info.datatype;
  const count = options.shape ? elementCount(options.shape, what) : undefined;
  if (dt === 'BYTES') return decodeBytesElements(options.copy ? copyBytes(bytes) : bytes, count, what);
  const size = info.byteSize;
  if (count !== undefined && bytes.length !== count * size) {
    throw new TensorError(
      `${what}: shape [${options.shape!.join(',')}] needs ${count * size} bytes, got ${bytes.length}`,
    );
  }
  if (bytes.length % size !== 0) {
    throw new TensorError(`${what}: ${bytes.length} bytes is not a whole number of ${size}-byte ${dt} elements`);
  }
  const n = bytes.length / size;
  if (dt === 'BOOL') {
    const out = new Array<boolean>(n);
    for (let i = 0; i < n; i++) out[i] = bytes[i] !== 0;
    return out;
  }
  if (dt === 'FP16' || dt === 'BF16') {
    const halves = readUint16(bytes, n);
    const out = new Float32Array(n);
    if (dt === 'FP16') {
      const table = fp16DecodeTable();
      for (let i = 0; i < n; i++) out[i] = table[halves[i]]!;
    } else {
      const outBits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) outBits[i] = halves[i] << 16; // exact, NaN payload kept
    }
    return out;
  }
  const Ctor = VIEW_CTORS[dt]!;
  if (LITTLE_ENDIAN_HOST) {
    if (!options.copy && bytes.byteOffset % size === 0) {
      return new Ctor(bytes.buffer, bytes.byteOffset, n) as unknown as TensorValues;
    }
    const aligned = copyBytes(bytes); // fresh buffer, offset 0
    return new Ctor(aligned.buffer, 0, n) as unknown as TensorValues;
  }
  return decodeBigEndianHost(dt, bytes, n);
}

function readUint16(bytes: Uint8Array, n: number): Uint16Array {
  if (LITTLE_ENDIAN_HOST) {
    return bytes.byteOffset % 2 === 0
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, n)
      : new Uint16Array(copyBytes(bytes).buffer, 0, n);
  }
  const out = new Uint16Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = dv.getUint16(i * 2, true);
  return out;
}

function decodeBigEndianHost(dt: Datatype, bytes: Uint8Array, n: number): TensorValues {
  const Ctor = VIEW_CTORS[dt]!;
  const size = Ctor.BYTES_PER_ELEMENT;
  const out = new Ctor(n) as unknown as Record<number, number | bigint>;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const get: Record<string, (o: number) => number | bigint> = {
    UINT8: (o) => dv.getUint8(o),
    INT8: (o) => dv.getInt8(o),
    UINT16: (o) => dv.getUint16(o, true),
    INT16: (o) => dv.getInt16(o, true),
    UINT32: (o) => dv.getUint32(o, true),
    INT32: (o) => dv.getInt32(o, true),
    UINT64: (o) => dv.getBigUint64(o, true),
    INT64: (o) => dv.getBigInt64(o, true),
    FP32: (o) => dv.getFloat32(o, true),
    FP64: (o) => dv.getFloat64(o, true),
  };
  for (let i = 0; i < n; i++) out[i] = get[dt](i * size);
  return out as unknown as TensorValues;
}

/** Builds a Tensor, checking that the values fill the shape exactly. */
export function makeTensor(
  name: string,
  datatype: string,
  shape: readonly number[],
  values: EncodableValues | Uint8Array,
  options: EncodeOptions & { raw?: boolean } = {},
): Tensor {
  const what = `tensor '${name}'`;
  const count = elementCount(shape, what);
  const data = options.raw ? (values as Uint8Array) : encodeTensor(datatype, values, { ...options, what });
  checkTensorData(datatype, shape, data, what, count);
  return { name, datatype, shape: [...shape], data };
}

/** Throws a clear TensorError unless `data` is exactly the bytes of a `datatype` tensor of `shape`. */
export function checkTensorData(
  datatype: string,
  shape: readonly number[],
  data: Uint8Array,
  what = 'tensor',
  count = elementCount(shape, what),
): void {
  const size = datatypeInfo(datatype).byteSize;
  if (size === null) {
    decodeBytesElements(data, count, what);
    return;
  }
  if (data.length !== count * size) {
    throw new TensorError(
      `${what}: ${datatype} shape [${shape.join(',')}] needs ${count * size} bytes, got ${data.length}`,
    );
  }
}

/** Decoded values of a Tensor, with its shape checked. */
export function tensorValues(t: Tensor, options: Omit<DecodeOptions, 'shape' | 'what'> = {}): TensorValues {
  return decodeTensor(t.datatype, t.data, { ...options, shape: t.shape, what: `tensor '${t.name}'` });
}
