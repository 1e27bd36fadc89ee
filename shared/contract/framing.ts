/**
 * Wire format of the WebSocket bridge. Every message is one binary frame:
 *
 *   u32 LE  header length H
 *   H bytes UTF-8 JSON header {"m": message, "blobs": [lengths], "parts"?: n}; each Uint8Array
 *           in the message replaced by {"$bin": i}
 *   then blob 0, blob 1, ... each starting at an 8-byte aligned offset (zero padding)
 *
 * The header lists the blob lengths (`blobs`). A large frame may travel as `parts` WebSocket
 * messages, cut at any byte once the header is complete (./frameParts). Blobs are decoded as views into the received buffer
 * (no copy), and alignment means a Float32Array/Float64Array view over an output tensor works
 * directly when the frame buffer itself is aligned (browsers deliver a fresh ArrayBuffer). Tensors
 * therefore travel as raw bytes instead of as JSON number arrays or base64, which would be
 * 3-10x larger and slow to parse.
 */
import { type SerializedError } from './errors';

/** renderer -> services */
export interface CallMessage {
  t: 'call';
  id: number;
  method: string;
  payload?: unknown;
}
/** services -> renderer */
export type ResultMessage =
  | { t: 'result'; id: number; ok: true; payload: unknown }
  | { t: 'result'; id: number; ok: false; error: SerializedError };
export interface EventMessage {
  t: 'event';
  event: string;
  payload: unknown;
}
export type WireMessage = CallMessage | ResultMessage | EventMessage;

/** Hard limit for one frame, shared by both ends (a 1x3x720x1280 FP32 tensor is 11 MB). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** Most WebSocket messages one frame may be split into (./frameParts). */
export const MAX_FRAME_PARTS = 4096;
const ALIGN = 8;
const BIN_KEY = '$bin';

// TextEncoder/TextDecoder exist in every runtime we target (browsers, Node >= 11) but are typed by
// the DOM/Node libs, which shared/ deliberately does not see.
interface Utf8 {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label: string, opts: { fatal: boolean }) => { decode(b: Uint8Array): string };
}
const utf8 = globalThis as unknown as Utf8;
const encoder = new utf8.TextEncoder();
const decoder = new utf8.TextDecoder('utf-8', { fatal: true });

export class FrameError extends Error {
  constructor(message: string) {
    super(`bad frame: ${message}`);
    this.name = 'FrameError';
  }
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || Object.prototype.toString.call(v) === '[object Uint8Array]';
}

function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/** Replaces Uint8Arrays by placeholders, collecting them in `blobs`. */
function extract(value: unknown, blobs: Uint8Array[], depth: number): unknown {
  if (depth > 64) throw new FrameError('message nested too deeply');
  if (isBytes(value)) {
    blobs.push(value);
    return { [BIN_KEY]: blobs.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => extract(v, blobs, depth + 1));
  if (value && typeof value === 'object') {
    if (ArrayBuffer.isView(value)) throw new FrameError('only Uint8Array binary values are supported');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === BIN_KEY) throw new FrameError(`the key '${BIN_KEY}' is reserved`);
      if (v !== undefined) setOwn(out, k, extract(v, blobs, depth + 1));
    }
    return out;
  }
  return value;
}

/** What encodeFrame needs to know before writing: the header bytes, the blobs and the total. */
export interface FramePlan {
  header: Uint8Array;
  blobs: Uint8Array[];
  byteLength: number;
}

/** Measures `message`'s frame; `parts` (> 1) is written into the header (see ./frameParts). */
export function planFrame(message: WireMessage, parts?: number): FramePlan {
  const blobs: Uint8Array[] = [];
  const body = extract(message, blobs, 0);
  const table = { m: body, blobs: blobs.map((b) => b.byteLength), ...(parts && parts > 1 ? { parts } : {}) };
  const header = encoder.encode(JSON.stringify(table));
  let byteLength = align(4 + header.byteLength);
  for (const b of blobs) byteLength = align(byteLength + b.byteLength);
  if (byteLength > MAX_FRAME_BYTES) throw new FrameError(`message of ${byteLength} bytes exceeds ${MAX_FRAME_BYTES}`);
  return { header, blobs, byteLength };
}

/**
 * Writes a planned frame. `alloc` gives the memory to write into (at least `byteLength` bytes,
 * 8-byte aligned, old content allowed: every byte is written), e.g. a buffer reused across
 * calls, because on some systems a fresh multi-megabyte buffer per video frame costs more than
 * the copy into it (page faults); default: a new buffer.
 */
export function writeFrame(plan: FramePlan, alloc?: (byteLength: number) => Uint8Array): Uint8Array {
  const { header, blobs, byteLength } = plan;
  const out = alloc ? alloc(byteLength).subarray(0, byteLength) : new Uint8Array(byteLength);
  new DataView(out.buffer, out.byteOffset, 4).setUint32(0, header.byteLength, true);
  out.set(header, 4);
  let offset = align(4 + header.byteLength);
  out.fill(0, 4 + header.byteLength, offset);
  for (const b of blobs) {
    out.set(b, offset);
    const end = offset + b.byteLength;
    offset = align(end);
    out.fill(0, end, offset);
  }
  return out;
}

const ZEROS = new Uint8Array(ALIGN);

/**
 * The planned frame as consecutive pieces, none copied: the length prefix and header (with its
 * padding), then each blob as the very view it was given and its padding. Joined they are exactly
 * writeFrame's bytes; a sender that can send one message in pieces (a WebSocket server sending
 * fragments) so never copies a tensor into a frame.
 */
export function frameSegments(plan: FramePlan): Uint8Array[] {
  const { header, blobs } = plan;
  const head = new Uint8Array(align(4 + header.byteLength));
  new DataView(head.buffer).setUint32(0, header.byteLength, true);
  head.set(header, 4);
  const out: Uint8Array[] = [head];
  for (const b of blobs) {
    if (b.byteLength) out.push(b);
    const pad = align(b.byteLength) - b.byteLength;
    if (pad) out.push(ZEROS.subarray(0, pad));
  }
  return out;
}

export function encodeFrame(message: WireMessage, alloc?: (byteLength: number) => Uint8Array): Uint8Array {
  return writeFrame(planFrame(message), alloc);
}

/**
 * The header of a frame (or of its first part): the length of the header block, the blob table,
 * the number of parts the frame was sent in (1 unless ./frameParts split it) and the frame's
 * total length as the blob table implies it.
 */
export function readFrameHeader(bytes: Uint8Array): {
  m: unknown;
  blobs: number[];
  parts: number;
  byteLength: number;
  headerEnd: number;
} {
  if (bytes.byteLength < 4) throw new FrameError('shorter than its length prefix');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new FrameError('header length beyond the end of the frame');
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headerLength)));
  } catch (err) {
    throw new FrameError(`header is not UTF-8 JSON (${(err as Error).message})`);
  }
  const h = header as { m?: unknown; blobs?: unknown; parts?: unknown };
  if (!h || typeof h !== 'object' || !Array.isArray(h.blobs) || h.blobs.length > 1024) {
    throw new FrameError('header lacks a blob table');
  }
  let byteLength = align(4 + headerLength);
  for (const len of h.blobs) {
    if (typeof len !== 'number' || !Number.isInteger(len) || len < 0 || len > MAX_FRAME_BYTES)
      throw new FrameError('blob table does not match the frame size');
    byteLength = align(byteLength + len);
  }
  if (byteLength > MAX_FRAME_BYTES) throw new FrameError(`frame of ${byteLength} bytes exceeds ${MAX_FRAME_BYTES}`);
  const parts = h.parts ?? 1;
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1 || parts > MAX_FRAME_PARTS)
    throw new FrameError(`'parts' must be an integer from 1 to ${MAX_FRAME_PARTS}`);
  return { m: h.m, blobs: h.blobs as number[], parts, byteLength, headerEnd: align(4 + headerLength) };
}

/**
 * `out[k] = v` as an own property whatever `k` is. JSON.parse gives a key "__proto__" as an own
 * property, but assigning it sets the object's prototype instead: the key would vanish and the
 * object would inherit whatever the sender put there (fields a schema then reads as present).
 */
function setOwn(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function restore(value: unknown, blobs: Uint8Array[], used: boolean[], depth: number): unknown {
  if (depth > 64) throw new FrameError('message nested too deeply');
  if (Array.isArray(value)) return value.map((v) => restore(v, blobs, used, depth + 1));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.includes(BIN_KEY)) {
      const i = (value as Record<string, unknown>)[BIN_KEY];
      if (keys.length !== 1 || typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= blobs.length || used[i]) {
        throw new FrameError('invalid blob reference');
      }
      used[i] = true;
      return blobs[i];
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) setOwn(out, k, restore((value as Record<string, unknown>)[k], blobs, used, depth + 1));
    return out;
  }
  return value;
}

/** Decodes one frame. Accepts an ArrayBuffer or any Uint8Array view (e.g. a Node Buffer). */
export function decodeFrame(frame: ArrayBuffer | Uint8Array): WireMessage {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength > MAX_FRAME_BYTES)
    throw new FrameError(`frame of ${bytes.byteLength} bytes exceeds ${MAX_FRAME_BYTES}`);
  const h = readFrameHeader(bytes);
  const blobs: Uint8Array[] = [];
  let offset = h.headerEnd;
  for (const len of h.blobs) {
    if (offset + len > bytes.byteLength) throw new FrameError('blob table does not match the frame size');
    blobs.push(bytes.subarray(offset, offset + len));
    offset = align(offset + len);
  }
  const used = new Array<boolean>(blobs.length).fill(false);
  const message = restore(h.m, blobs, used, 0) as WireMessage;
  if (!message || typeof message !== 'object' || typeof (message as { t?: unknown }).t !== 'string') {
    throw new FrameError("message lacks its type 't'");
  }
  return message;
}
