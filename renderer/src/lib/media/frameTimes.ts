/**
 * Reads a video file's frame timeline once, when the video opens: WebM/Matroska through our EBML
 * walk (shared/media), MP4/MOV through mp4box (GPAC's ISO-BMFF parser: sample tables, composition
 * offsets, fragments and the edit list that shifts presentation, as browsers apply it). Only the
 * container is read; nothing is decoded. Other containers give a clear error, and the inspector then
 * falls back to the frame rate it measures while playing.
 */
import {
  frameTimeline,
  isEbml,
  MediaFormatError,
  webmFrameTimeline,
  type FrameTimeline,
} from '../../../../shared/media';

export type { FrameTimeline };

function isIsoBmff(bytes: Uint8Array): boolean {
  // ISO base media: a box whose type is ftyp (or a leading free/skip/wide box before it).
  const type = String.fromCharCode(...bytes.subarray(4, 8));
  return ['ftyp', 'moov', 'free', 'skip', 'wide', 'mdat'].includes(type);
}

/** The timeline of the first video track in MP4/MOV bytes. */
export async function mp4FrameTimeline(bytes: Uint8Array): Promise<FrameTimeline> {
  const { createFile, MP4BoxBuffer } = await import('mp4box');
  const file = createFile();
  const errors: string[] = [];
  file.onError = (module: string, message: string) => errors.push(`${module}: ${message}`);
  // mp4box takes an ArrayBuffer: the one under `bytes` when it is all of it (no second copy of the file).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const ab = (
    whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  ) as ArrayBuffer;
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(ab, 0), true);
  file.flush();
  if (errors.length) throw new MediaFormatError(`MP4: ${errors[0]}`);
  const track = file.getInfo()?.videoTracks?.[0];
  if (!track) throw new MediaFormatError('MP4: the file has no video track');
  const samples = file.getTrackSamplesInfo(track.id);
  // The first edit's media time is where presentation starts (ffmpeg writes one for B-frame delay).
  const edit = file.getTrackById(track.id)?.edts?.elst?.entries?.find((e) => e.media_time >= 0);
  const shift = edit ? edit.media_time : 0;
  return frameTimeline(
    samples.map((s) => (s.cts - shift) / s.timescale),
    'MP4',
  );
}

/** The frame timeline of a video file's bytes (WebM/MKV or MP4/MOV). */
export async function readFrameTimeline(bytes: Uint8Array, name: string): Promise<FrameTimeline> {
  try {
    if (isEbml(bytes)) return webmFrameTimeline(bytes);
    if (isIsoBmff(bytes)) return await mp4FrameTimeline(bytes);
  } catch (e) {
    throw new MediaFormatError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new MediaFormatError(`${name}: not a WebM/Matroska or MP4/MOV file, frame times cannot be read`);
}

/**
 * Frame times are read from the whole file in memory (a WebM's are spread over all its clusters),
 * so only up to this size: a multi-gigabyte recording would take the page's memory with it. Larger
 * files play with the frame rate measured while playing, and the inspector says why.
 */
export const MAX_TIMELINE_BYTES = 512 * 1024 * 1024;

/** The timeline of a video file, refused (before anything is read) when it is over MAX_TIMELINE_BYTES. */
export async function readVideoTimeline(
  file: Pick<Blob, 'size' | 'arrayBuffer'>,
  name: string,
  maxBytes = MAX_TIMELINE_BYTES,
): Promise<FrameTimeline> {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
  if (file.size > maxBytes)
    throw new MediaFormatError(`${name}: ${mb(file.size)}; frame times are read from files up to ${mb(maxBytes)}`);
  return readFrameTimeline(new Uint8Array(await file.arrayBuffer()), name);
}
