/**
 * A large frame sent as several WebSocket messages, and put back together.
 *
 * Why: a browser copies every message it sends into a buffer of its own, and Chromium maps a
 * buffer over about 1 MB fresh from the operating system each time. On the 2-core bench machine
 * those fresh pages cost 5.5-6.6 ms per MB sent, against 0.4-0.9 ms per MB for messages of
 * 256 KB-1 MB; a 1.4 MB FP16 video-frame tensor paid it on every frame. So a frame longer than
 * `chunkBytes` is cut into parts: the first carries the frame's start, its header complete and
 * saying `"parts": n`; the next n - 1 messages carry the following bytes in order. Joined, they
 * are exactly the frame. A peer that never splits is unaffected, and the receiver checks that the
 * parts add up to the length the header's blob table implies.
 */
import {
  decodeFrame,
  FrameError,
  MAX_FRAME_PARTS,
  planFrame,
  readFrameHeader,
  writeFrame,
  type WireMessage,
} from './framing';

/**
 * Parts of at most 768 KB: under the size where fresh buffers start (see above), and above one
 * 640x360 frame as 8-bit planes (675 KB, contract ImageInput), which so stays one message.
 */
export const DEFAULT_CHUNK_BYTES = 768 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;

/**
 * The frame for `message` as the messages to send, in order: one when it fits in `chunkBytes`,
 * else views of one buffer (from `alloc`, as writeFrame takes it) cut every `chunkBytes` bytes.
 */
export function encodeFrameParts(
  message: WireMessage,
  opts: { chunkBytes?: number; alloc?: (byteLength: number) => Uint8Array } = {},
): Uint8Array[] {
  const chunk = Math.max(MIN_CHUNK_BYTES, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let plan = planFrame(message);
  if (plan.byteLength <= chunk) return [writeFrame(plan, opts.alloc)];
  // Saying how many parts makes the header longer, which may take one more part: settle it.
  // (the count only grows, and the frame's length with it, so this ends within a round or two).
  let parts = Math.ceil(plan.byteLength / chunk);
  for (;;) {
    plan = planFrame(message, parts);
    const needed = Math.ceil(plan.byteLength / chunk);
    if (needed === parts) break;
    parts = needed;
  }
  if (parts > MAX_FRAME_PARTS)
    throw new FrameError(`a frame of ${plan.byteLength} bytes needs more than ${MAX_FRAME_PARTS} parts`);
  if (4 + plan.header.byteLength > chunk) throw new FrameError('the frame header does not fit in its first part');
  const frame = writeFrame(plan, opts.alloc);
  return Array.from({ length: parts }, (_, i) =>
    frame.subarray(i * chunk, Math.min(frame.byteLength, (i + 1) * chunk)),
  );
}

/**
 * Puts frames back together, one WebSocket connection's messages in the order they arrived.
 * `alloc` gives the buffer a split frame is joined in (exactly the frame's length; default a new
 * Uint8Array, Node passes Buffer.allocUnsafe: every byte is written).
 */
export class FrameAssembler {
  private pending: { frame: Uint8Array; filled: number; partsLeft: number; parts: number } | null = null;

  constructor(private readonly alloc: (byteLength: number) => Uint8Array = (n) => new Uint8Array(n)) {}

  /** True while a split frame waits for its remaining parts. */
  get incomplete(): boolean {
    return this.pending !== null;
  }

  /**
   * One received message. Returns the decoded message when a frame is complete, null while parts
   * of it are still to come; throws FrameError for anything that is not a frame or its next part.
   */
  push(data: Uint8Array): WireMessage | null {
    const p = this.pending;
    if (p) {
      if (p.filled + data.byteLength > p.frame.byteLength)
        throw new FrameError(
          `part ${p.parts - p.partsLeft + 1} of ${p.parts} runs past the frame's ${p.frame.byteLength} bytes`,
        );
      if (p.partsLeft > 1 && data.byteLength === 0) throw new FrameError('an empty part in the middle of a frame');
      p.frame.set(data, p.filled);
      p.filled += data.byteLength;
      if (--p.partsLeft > 0) return null;
      this.pending = null;
      if (p.filled !== p.frame.byteLength)
        throw new FrameError(`the ${p.parts} parts hold ${p.filled} of the frame's ${p.frame.byteLength} bytes`);
      return decodeFrame(p.frame);
    }
    const head = readFrameHeader(data);
    if (head.parts === 1) return decodeFrame(data);
    if (data.byteLength >= head.byteLength)
      throw new FrameError(`a frame said to come in ${head.parts} parts arrived whole`);
    const frame = this.alloc(head.byteLength).subarray(0, head.byteLength);
    frame.set(data, 0);
    this.pending = { frame, filled: data.byteLength, partsLeft: head.parts - 1, parts: head.parts };
    return null;
  }
}
