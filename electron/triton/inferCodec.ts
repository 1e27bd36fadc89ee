/**
 * Hot-path serialization of ModelInferRequest. The message is protobuf's normal encoding (fields in
 * number order, byte-identical to protobufjs's output — a test checks this), but built so each
 * input tensor is copied exactly once, into a buffer that is reused for the next request of the same
 * size: a video loop sends same-sized frames, and allocating (and page-faulting) a fresh multi-MB
 * buffer per frame was a measurable part of the client's overhead. The header (names, shapes,
 * parameters) is small and encoded by protobufjs.
 *
 * A pooled buffer is handed out until the call that used it has completed (release), because
 * grpc-js copies it into its own framed buffer asynchronously after the call starts.
 */
import type protobuf from 'protobufjs';
import { loadTritonRoot } from './protos';

const RAW_INPUT_CONTENTS_TAG = (7 << 3) | 2; // field 7, length-delimited

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Few reusable buffers per exact size (bounded: a handful of sizes, two buffers each). */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  constructor(
    private readonly maxSizes = 4,
    private readonly perSize = 2,
    private readonly minBytes = 64 * 1024,
  ) {}

  acquire(size: number): Buffer {
    const list = this.free.get(size);
    const b = list?.pop();
    if (b) return b;
    return Buffer.allocUnsafeSlow(size); // not from Node's shared small-buffer pool: we own it whole
  }

  release(buf: Buffer): void {
    if (buf.length < this.minBytes) return; // small messages: allocation is cheap, don't keep them
    let list = this.free.get(buf.length);
    if (!list) {
      if (this.free.size >= this.maxSizes) this.free.delete(this.free.keys().next().value!); // drop the oldest size
      list = [];
      this.free.set(buf.length, list);
    }
    if (list.length < this.perSize) list.push(buf);
  }
}

let requestType: protobuf.Type | undefined;

type InferRequestMessage = { raw_input_contents: Uint8Array[] } & Record<string, unknown>;

type HeaderPart = { name?: unknown; parameters?: Record<string, unknown> };
type InputHeader = HeaderPart & { datatype?: unknown; shape?: unknown };

function hasParameters(p: Record<string, unknown> | undefined): boolean {
  if (p) for (const _ in p) return true;
  return false;
}

/** A string field as a length-prefixed key part; undefined for anything else (not cached). */
function keyPart(s: unknown): string | undefined {
  return typeof s === 'string' ? `${s.length}:${s}` : undefined;
}

/**
 * A key that identifies the header's bytes, or undefined when the header is not cached: it has
 * parameters, or a field of an unexpected kind (left to protobufjs's conversion and its errors).
 * Strings are length-prefixed and dims are integers, so two different headers never share a key.
 */
function headerKey(message: InferRequestMessage): string | undefined {
  if (hasParameters(message['parameters'] as Record<string, unknown> | undefined)) return undefined;
  const model = keyPart(message['model_name']);
  const version = keyPart(message['model_version']);
  const id = keyPart(message['id']);
  const inputs = message['inputs'];
  const outputs = message['outputs'];
  if (model === undefined || version === undefined || id === undefined) return undefined;
  if (!Array.isArray(inputs) || !Array.isArray(outputs)) return undefined;
  let key = model + version + id;
  for (const input of inputs as InputHeader[]) {
    const name = keyPart(input.name);
    const datatype = keyPart(input.datatype);
    if (name === undefined || datatype === undefined || !Array.isArray(input.shape)) return undefined;
    if (hasParameters(input.parameters)) return undefined;
    key += `i${name}${datatype}`;
    for (const d of input.shape) {
      if (!Number.isSafeInteger(d)) return undefined;
      key += `,${d as number}`;
    }
  }
  for (const output of outputs as HeaderPart[]) {
    const name = keyPart(output.name);
    if (name === undefined || hasParameters(output.parameters)) return undefined;
    key += `o${name}`;
  }
  return key;
}

/**
 * Encoded headers by key: a video loop sends the same model, names and shape every frame, and
 * encoding them with protobufjs was ~15 µs of the client's own ~60-90 µs per call (CPU profile of an
 * FP16 LaneATT call). Bounded (a new id per request makes every key new); the cached bytes are only
 * ever copied, never written.
 */
const headerCache = new Map<string, Uint8Array>();
const HEADER_CACHE_ENTRIES = 64;

/** The request's small fields (1-6) encoded by protobufjs; the raw inputs are written by the callers. */
function encodeHeader(message: InferRequestMessage): Uint8Array {
  const key = headerKey(message);
  const cached = key === undefined ? undefined : headerCache.get(key);
  if (cached) return cached;
  requestType ??= loadTritonRoot().lookupType('inference.ModelInferRequest');
  const { raw_input_contents: _raw, ...header } = message;
  // Without parameters (the video loop's case) the object already has the message's plain types
  // (strings, numbers), so fromObject's conversion pass is skipped; parameters (oneofs, 64-bit
  // values as strings) still go through it.
  if (key === undefined) return requestType.encode(requestType.fromObject(header)).finish();
  const encoded = requestType.encode(header).finish();
  if (headerCache.size >= HEADER_CACHE_ENTRIES) headerCache.clear();
  headerCache.set(key, encoded);
  return encoded;
}

/**
 * Serializes a ModelInferRequest message object (as built by buildInferRequest) into a buffer from
 * `pool` (or a fresh one). Returns the exact-size buffer to send.
 */
export function encodeInferRequest(message: InferRequestMessage, pool?: BufferPool): Buffer {
  const raw = message.raw_input_contents;
  const head = encodeHeader(message);
  let size = head.length;
  for (const r of raw) size += 1 + varintSize(r.length) + r.length;
  const buf = pool && size >= 64 * 1024 ? pool.acquire(size) : Buffer.allocUnsafe(size);
  buf.set(head, 0);
  let pos = head.length;
  for (const r of raw) {
    buf[pos++] = RAW_INPUT_CONTENTS_TAG;
    pos = writeVarint(buf, pos, r.length);
    buf.set(r, pos);
    pos += r.length;
  }
  return buf;
}

/*
 * Zero-copy requests. raw_input_contents (field 7) is the last field of a ModelInferRequest, so
 * protobuf's encoding of a request with one input is `[header: fields 1-6][tag 7, length][tensor
 * bytes]`. When that input lives in memory the client allocated with room before it (an "input
 * arena"), the header, tag and length are written just before the tensor bytes and grpc-js is
 * handed a view of that memory: byte-identical to the normal encoding, and the frame's pixels are
 * never copied by us. Preprocessing can write a frame straight into the arena.
 */

/** Room before the tensor for the header (names, shape, parameters) plus tag and length; larger headers fall back to a copy. */
const ARENA_HEADER_ROOM = 4096;

interface Arena {
  memory: Buffer;
  dataLength: number;
  busy: boolean;
}

const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** Allocates `byteLength` bytes of tensor memory that infer() can send without copying. */
export function allocateInputArena(byteLength: number): Uint8Array {
  if (!Number.isInteger(byteLength) || byteLength < 0)
    throw new RangeError(`input arena size must be a byte count, got ${byteLength}`);
  // allocUnsafeSlow: a buffer of its own (not a slice of Node's shared pool), so its ArrayBuffer
  // identifies the arena.
  const memory = Buffer.allocUnsafeSlow(ARENA_HEADER_ROOM + byteLength);
  arenas.set(memory.buffer, { memory, dataLength: byteLength, busy: false });
  return new Uint8Array(memory.buffer, memory.byteOffset + ARENA_HEADER_ROOM, byteLength);
}

/**
 * Serializes `message` in place in front of its single raw input, if that input is an idle arena
 * with room for the header. Returns undefined when the request does not qualify (the caller then
 * copies). While the returned bytes are in flight the arena is busy (until releaseRequestBytes): a
 * concurrent request with the same tensor takes the copying path instead of overwriting the header.
 */
export function encodeInferRequestInPlace(message: InferRequestMessage): Buffer | undefined {
  const raw = message.raw_input_contents;
  if (raw.length !== 1) return undefined;
  const data = raw[0];
  const arena = arenas.get(data.buffer);
  if (!arena || arena.busy) return undefined;
  if (data.byteOffset !== arena.memory.byteOffset + ARENA_HEADER_ROOM || data.length !== arena.dataLength)
    return undefined;
  const head = encodeHeader(message);
  const start = ARENA_HEADER_ROOM - 1 - varintSize(data.length) - head.length;
  if (start < 0) return undefined;
  const mem = arena.memory;
  mem.set(head, start);
  mem[start + head.length] = RAW_INPUT_CONTENTS_TAG;
  writeVarint(mem, start + head.length + 1, data.length);
  arena.busy = true;
  return mem.subarray(start, ARENA_HEADER_ROOM + data.length);
}

/**
 * Gives back the memory of a request once its call has ended: the arena it was encoded in becomes
 * idle again, or a pooled buffer returns to `pool`.
 */
export function releaseRequestBytes(bytes: Buffer, pool: BufferPool): void {
  const arena = arenas.get(bytes.buffer);
  if (arena) arena.busy = false;
  else pool.release(bytes);
}
