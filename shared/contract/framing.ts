/**
 * Wire format of the WebSocket bridge. Every message is one binary frame:
 *
 *   u32 LE  header length H
 *   H bytes UTF-8 JSON header; each Uint8Array in the message replaced by {"$bin": i}
 *   then blob 0, blob 1, ... each starting at an 8-byte aligned offset (zero padding)
 *
 * The header lists the blob lengths (`blobs`). Blobs are decoded as views into the received buffer
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
      if (v !== undefined) out[k] = extract(v, blobs, depth + 1);
    }
    return out;
  }
  return value;
}

export function encodeFrame(message: WireMessage): Uint8Array {
  const blobs: Uint8Array[] = [];
  const body = extract(message, blobs, 0);
  const header = encoder.encode(JSON.stringify({ m: body, blobs: blobs.map((b) => b.byteLength) }));
  let total = align(4 + header.byteLength);
  for (const b of blobs) total = align(total + b.byteLength);
  if (total > MAX_FRAME_BYTES) throw new FrameError(`message of ${total} bytes exceeds ${MAX_FRAME_BYTES}`);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.byteLength, true);
  out.set(header, 4);
  let offset = align(4 + header.byteLength);
  for (const b of blobs) {
    out.set(b, offset);
    offset = align(offset + b.byteLength);
  }
  return out;
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
    // JSON.parse never produces prototype-polluting objects, but we rebuild with plain objects anyway.
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = restore((value as Record<string, unknown>)[k], blobs, used, depth + 1);
    return out;
  }
  return value;
}

/** Decodes one frame. Accepts an ArrayBuffer or any Uint8Array view (e.g. a Node Buffer). */
export function decodeFrame(frame: ArrayBuffer | Uint8Array): WireMessage {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 4) throw new FrameError('shorter than its length prefix');
  if (bytes.byteLength > MAX_FRAME_BYTES)
    throw new FrameError(`frame of ${bytes.byteLength} bytes exceeds ${MAX_FRAME_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new FrameError('header length beyond the end of the frame');
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headerLength)));
  } catch (err) {
    throw new FrameError(`header is not UTF-8 JSON (${(err as Error).message})`);
  }
  const h = header as { m?: unknown; blobs?: unknown };
  if (!h || typeof h !== 'object' || !Array.isArray(h.blobs) || h.blobs.length > 1024) {
    throw new FrameError('header lacks a blob table');
  }
  const blobs: Uint8Array[] = [];
  let offset = align(4 + headerLength);
  for (const len of h.blobs) {
    if (typeof len !== 'number' || !Number.isInteger(len) || len < 0 || offset + len > bytes.byteLength) {
      throw new FrameError('blob table does not match the frame size');
    }
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
