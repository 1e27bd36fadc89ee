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
  constructor(private readonly maxSizes = 4, private readonly perSize = 2, private readonly minBytes = 64 * 1024) {}

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

/**
 * Serializes a ModelInferRequest message object (as built by buildInferRequest) into a buffer from
 * `pool` (or a fresh one). Returns the exact-size buffer to send.
 */
export function encodeInferRequest(message: { raw_input_contents: Uint8Array[] } & Record<string, unknown>, pool?: BufferPool): Buffer {
  requestType ??= loadTritonRoot().lookupType('inference.ModelInferRequest');
  const { raw_input_contents: raw, ...header } = message;
  const head = requestType.encode(requestType.fromObject(header)).finish();
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
