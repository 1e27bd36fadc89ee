/**
 * Frame times of a WebM / Matroska file: a walk over its EBML elements (RFC 8794, Matroska's
 * element IDs) that reads the timestamp scale, the video track's number and the timestamp of every
 * block of that track (cluster timestamp + the block's signed 16-bit offset; Matroska block
 * timestamps are presentation times). Frame data is skipped, never decoded. Unknown-size elements
 * (live recordings) are walked into as the spec allows.
 */
import { frameTimeline, type FrameTimeline } from './frameTimeline';

export class MediaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaFormatError';
  }
}

const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
} as const;

/** Master elements walked into; every other element is skipped by its size. */
const MASTERS = new Set<number>([ID.Segment, ID.Info, ID.Tracks, ID.TrackEntry, ID.Cluster, ID.BlockGroup]);
const TRACK_TYPE_VIDEO = 1;

/** True when the bytes start with an EBML header (WebM, MKV). */
export function isEbml(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

/** Reads an EBML variable-size integer; `keepMarker` for element IDs. Size -1 = unknown. */
function readVint(bytes: Uint8Array, pos: number, keepMarker: boolean): { value: number; length: number } {
  const first = bytes[pos];
  if (first === undefined) throw new MediaFormatError(`WebM: unexpected end of file at byte ${pos}`);
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8) throw new MediaFormatError(`WebM: invalid variable-size integer at byte ${pos}`);
  if (pos + length > bytes.length) throw new MediaFormatError(`WebM: unexpected end of file at byte ${pos}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[pos + i];
    if (bytes[pos + i] !== 0xff) allOnes = false;
  }
  return { value: !keepMarker && allOnes ? -1 : value, length };
}

function readUint(bytes: Uint8Array, pos: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + bytes[pos + i];
  return v;
}

/** The presentation times (seconds) of the first video track's frames, as a timeline. */
export function webmFrameTimeline(bytes: Uint8Array): FrameTimeline {
  if (!isEbml(bytes)) throw new MediaFormatError('WebM: no EBML header (not a WebM/Matroska file)');
  let scaleNs = 1_000_000;
  const tracks: { number: number; type: number }[] = [];
  let clusterTs = 0;
  const blocks: { track: number; ts: number }[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const id = readVint(bytes, pos, true);
    const size = readVint(bytes, pos + id.length, false);
    const data = pos + id.length + size.length;
    if (MASTERS.has(id.value) || size.value < 0) {
      if (id.value === ID.TrackEntry) tracks.push({ number: -1, type: -1 });
      pos = data; // walk into it (an unknown size ends where the next top-level element starts)
      continue;
    }
    const end = data + size.value;
    if (end > bytes.length) {
      // A truncated last cluster (a recording cut short): keep the frames read so far.
      if (id.value === ID.SimpleBlock || id.value === ID.Block || id.value === ID.Cluster) break;
      throw new MediaFormatError(
        `WebM: element 0x${id.value.toString(16)} at byte ${pos} runs past the end of the file`,
      );
    }
    switch (id.value) {
      case ID.TimestampScale:
        scaleNs = readUint(bytes, data, size.value);
        break;
      case ID.TrackNumber:
        if (tracks.length) tracks[tracks.length - 1].number = readUint(bytes, data, size.value);
        break;
      case ID.TrackType:
        if (tracks.length) tracks[tracks.length - 1].type = readUint(bytes, data, size.value);
        break;
      case ID.Timestamp:
        clusterTs = readUint(bytes, data, size.value);
        break;
      case ID.SimpleBlock:
      case ID.Block: {
        const track = readVint(bytes, data, false);
        const at = data + track.length;
        if (at + 2 > end) throw new MediaFormatError(`WebM: block at byte ${pos} is too short`);
        const rel = (((bytes[at] << 8) | bytes[at + 1]) << 16) >> 16; // signed 16-bit
        blocks.push({ track: track.value, ts: clusterTs + rel });
        break;
      }
    }
    pos = end;
  }
  const video = tracks.find((t) => t.type === TRACK_TYPE_VIDEO);
  if (!video) throw new MediaFormatError('WebM: the file has no video track');
  if (!scaleNs) throw new MediaFormatError('WebM: the timestamp scale is 0');
  const times = blocks.filter((b) => b.track === video.number).map((b) => (b.ts * scaleNs) / 1e9);
  return frameTimeline(times, 'WebM');
}
