/**
 * A short drive: one base scene moved smoothly over time (distance travelled, a gentle weave
 * inside the lane, slowly changing heading and curvature, other cars at their own speeds), and
 * its encoding to WebM (VP9) and MP4 (H.264) with the system's ffmpeg.
 */
import { spawn, spawnSync } from 'node:child_process';
import { groundTruth, renderScene, sampleScene, type Scene, type TuSimpleRecord } from './scene';
import { makeRng } from './prng';

export interface DriveOptions {
  seed: number;
  fps: number;
  seconds: number;
  /** forward speed, m/s */
  speed?: number;
}

/** The scene at frame `i` of a drive. Pure function of (options, i). */
export function driveFrame(opts: DriveOptions, i: number): Scene {
  const base = sampleScene(opts.seed, { markings: 4, travel: 0 });
  const rng = makeRng(opts.seed ^ 0x5bd1e995);
  const weavePhase = rng.range(0, 2 * Math.PI);
  const curvePhase = rng.range(0, 2 * Math.PI);
  const t = i / opts.fps;
  const speed = opts.speed ?? 22;
  const weave = 0.45 * Math.sin((2 * Math.PI * t) / 6 + weavePhase);
  // Shadows fixed to the ground along the whole drive, so the car passes under them.
  const shadowRng = makeRng(opts.seed ^ 0x27d4eb2f);
  const length = speed * opts.seconds + 80;
  const shadows = Array.from({ length: Math.round(length / 22) }, () => ({
    xr: shadowRng.range(base.roadLeft - 3, base.roadRight + 3),
    zw: shadowRng.range(6, length),
    rx: shadowRng.range(1.2, 4.5),
    rz: shadowRng.range(1.5, 6),
    strength: shadowRng.range(0.3, 0.42),
    seed: shadowRng.int(1, 1e9),
  }));
  const lanes = base.markings.map((m) => m.xr).sort((a, b) => a - b);
  const vehicles = [
    {
      xr: (lanes[0] + lanes[1]) / 2,
      zw: 30 + (speed - 2) * t,
      width: 1.8,
      height: 1.5,
      color: [180, 30, 30] as [number, number, number],
    },
    {
      xr: (lanes[2] + lanes[3]) / 2,
      zw: 70 + (speed - 6) * t,
      width: 1.9,
      height: 1.6,
      color: [200, 200, 205] as [number, number, number],
    },
  ];
  return {
    ...base,
    travel: speed * t,
    k: 0.012 * Math.sin((2 * Math.PI * t) / 9 + curvePhase),
    c: 0.0005 * Math.sin((2 * Math.PI * t) / 11 + curvePhase * 0.7),
    markings: base.markings.map((m) => ({ ...m, xr: m.xr - weave })),
    roadLeft: base.roadLeft - weave,
    roadRight: base.roadRight - weave,
    shadows,
    vehicles: vehicles.map((v) => ({ ...v, xr: v.xr - weave })),
  };
}

export function frameCount(opts: DriveOptions): number {
  return Math.round(opts.fps * opts.seconds);
}

/** Name of frame i in the drive's TuSimple labels (the video has no per-frame files; the index is what counts). */
export function driveFrameName(i: number): string {
  return `video/frames/${String(i).padStart(4, '0')}.jpg`;
}

export function driveLabels(opts: DriveOptions): TuSimpleRecord[] {
  return Array.from({ length: frameCount(opts) }, (_, i) => groundTruth(driveFrame(opts, i), driveFrameName(i)));
}

export function ffmpegAvailable(): boolean {
  return spawnSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' }).status === 0;
}

interface Encoder {
  proc: ReturnType<typeof spawn>;
  done: Promise<void>;
  stderr: string[];
}

function startEncoder(args: string[], out: string, width: number, height: number, fps: number): Encoder {
  const proc = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${width}x${height}`,
      '-r',
      String(fps),
      '-i',
      'pipe:0',
      ...args,
      out,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const stderr: string[] = [];
  proc.stderr.on('data', (d) => stderr.push(String(d)));
  const done = new Promise<void>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`ffmpeg exited with ${code} writing ${out}: ${stderr.join('').trim()}`)),
    );
  });
  return { proc, done, stderr };
}

async function write(enc: Encoder, chunk: Uint8Array): Promise<void> {
  const stdin = enc.proc.stdin!;
  if (!stdin.write(chunk)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
}

/**
 * Render the drive and encode it to both files in one pass over the frames (each frame is
 * rendered once and piped to two ffmpeg processes). Returns the per-frame labels.
 */
export async function encodeDrive(
  opts: DriveOptions,
  webmPath: string,
  mp4Path: string,
  onProgress?: (i: number, n: number) => void,
): Promise<TuSimpleRecord[]> {
  const n = frameCount(opts);
  const first = driveFrame(opts, 0);
  const { width, height } = first;
  const webm = startEncoder(
    [
      '-c:v',
      'libvpx-vp9',
      '-b:v',
      '0',
      '-crf',
      '38',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-row-mt',
      '1',
      '-pix_fmt',
      'yuv420p',
    ],
    webmPath,
    width,
    height,
    opts.fps,
  );
  const mp4 = startEncoder(
    ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'],
    mp4Path,
    width,
    height,
    opts.fps,
  );
  const labels: TuSimpleRecord[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const scene = driveFrame(opts, i);
      const { rgb } = renderScene(scene);
      labels.push(groundTruth(scene, driveFrameName(i)));
      await Promise.all([write(webm, rgb), write(mp4, rgb)]);
      onProgress?.(i + 1, n);
    }
  } finally {
    webm.proc.stdin!.end();
    mp4.proc.stdin!.end();
  }
  await Promise.all([webm.done, mp4.done]);
  return labels;
}
