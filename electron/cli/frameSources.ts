/**
 * Frames for `tritonscope compare`: the images of a folder (natural order), or the frames of a
 * video decoded by ffmpeg (Debian's; rgb24 at the video's own size, streamed, never all in memory).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './types';
import type { RawImage } from './laneRun';

const IMAGE_RE = /\.(png|jpe?g|webp|bmp|tiff?|avif)$/i;

export interface Frame {
  index: number;
  label: string;
  image: string | RawImage;
}

export function folderImages(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new CliError(`cannot read --images folder '${dir}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const images = names.filter((n) => IMAGE_RE.test(n)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (!images.length) throw new CliError(`--images folder '${dir}' has no images (png, jpg, webp, bmp, tiff, avif)`);
  return images.map((n) => join(dir, n));
}

/**
 * The size of the frames ffmpeg will hand us: the stream's stored size, turned by its display
 * rotation (a phone's portrait video is stored landscape with a 90 degree rotation, and ffmpeg
 * rotates it upright, as the browser shows it). Read as stored, every frame would be cut at the
 * right byte count but split into rows of the wrong width.
 */
export function videoSize(file: string): { width: number; height: number } {
  const r = spawnSync(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'v:0'],
      ...['-show_entries', 'stream=width,height:stream_side_data=rotation:stream_tags=rotate', '-of', 'json', file],
    ],
    { encoding: 'utf8' },
  );
  if (r.error) throw new CliError(`--video needs ffprobe/ffmpeg (apt-get install ffmpeg): ${r.error.message}`);
  let stream: {
    width?: number;
    height?: number;
    side_data_list?: { rotation?: number }[];
    tags?: { rotate?: string };
  } = {};
  try {
    stream = (JSON.parse(r.stdout) as { streams?: (typeof stream)[] }).streams?.[0] ?? {};
  } catch {
    // ffprobe failed: its stderr says why, below.
  }
  const { width, height } = stream;
  if (r.status !== 0 || !width || !height)
    throw new CliError(`cannot read video '${file}': ${r.stderr.trim().split('\n')[0] || 'no video stream'}`);
  const rotation = Number(
    stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0,
  );
  const quarterTurn = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  return quarterTurn ? { width: height, height: width } : { width, height };
}

/** Every `every`-th frame of the video, up to `max` frames. */
export async function* videoFrames(file: string, every: number, max: number): AsyncGenerator<Frame> {
  const { width, height } = videoSize(file);
  const size = width * height * 3;
  const ff = spawn('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  ff.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Each pipe chunk (64 KiB) is copied once, straight into the frame it belongs to, and only for the
  // frames that are kept: joining chunks until a frame is whole copied a 1280x720 frame's pending
  // bytes again for every chunk (~60 MB of copying per frame), skipped frames included.
  let n = 0;
  let yielded = 0;
  let filled = 0;
  let frame: Uint8Array | undefined = new Uint8Array(size);
  try {
    for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length;) {
        const take = Math.min(size - filled, chunk.length - at);
        frame?.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled < size) continue;
        if (frame) {
          yield { index: n, label: `frame ${n + 1}`, image: { data: frame, width, height } };
          if (++yielded >= max) return;
        }
        n++;
        filled = 0;
        frame = n % every === 0 ? new Uint8Array(size) : undefined;
      }
    }
    const code: number = ff.exitCode ?? (await new Promise((res) => ff.once('close', res)));
    if (code !== 0) throw new CliError(`ffmpeg could not decode '${file}': ${stderr.trim().split('\n')[0]}`);
    if (!yielded) throw new CliError(`video '${file}' has no frames`);
  } finally {
    if (ff.exitCode === null) ff.kill();
  }
}
