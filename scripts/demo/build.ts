/**
 * Builds the demo assets (idempotent):
 *   assets/demo-repo/laneDetect_preprocess/1/model.onnx  UINT8 BGR frame -> resize 640x360 -> FP32 NCHW / 255
 *   assets/demo/scenes/scene_NN.jpg + labels.json   still road scenes with TuSimple labels
 *   assets/demo/video/road.webm, road.mp4, labels.json   a short drive with per-frame labels
 *   assets/demo/manifest.json                      what is where (for the app and the tests)
 * The config.pbtxt files of assets/demo-repo are committed, not generated, and so are the trained lane
 * models (laneDetect_model, LaneDet_fp16: made by scripts/train, see their MODEL_CARD.md).
 *
 * Each part is skipped when its outputs exist and a stamp (assets/.demo-build.json) records the
 * same content hash of the sources that generate it. `--force` rebuilds everything.
 * Usage: node --import tsx scripts/demo/build.ts [--force] [--quiet]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { buildPreprocessModel } from './preprocessModel';
import { groundTruth, renderScene, sampleScene } from './scene';
import { encodeDrive, ffmpegAvailable, frameCount, type DriveOptions } from './video';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const DEMO_DIR = join(REPO_ROOT, 'assets/demo');
export const DEMO_REPO_DIR = join(REPO_ROOT, 'assets/demo-repo');
const STAMP = join(REPO_ROOT, 'assets/.demo-build.json');

/** Seeds of the still scenes (fixed: the tests score the model on exactly these). */
export const SCENE_SEEDS: readonly number[] = Array.from({ length: 16 }, (_, i) => (i + 1) * 7919);
export const DRIVE: DriveOptions = { seed: 20240611, fps: 10, seconds: 7 };
export const JPEG_QUALITY = 88;

/** The committed trained models (scripts/train/export.py writes them). */
export const TRAINED_MODEL_FILES = {
  laneDetect_model: 'laneDetect_model/1/model.onnx',
  LaneDet_fp16: 'LaneDet_fp16/1/model.onnx',
} as const;

/** Models this script generates. */
export const GENERATED_MODEL_FILES = {
  laneDetect_preprocess: 'laneDetect_preprocess/1/model.onnx',
} as const;

export const MODEL_FILES = { ...TRAINED_MODEL_FILES, ...GENERATED_MODEL_FILES } as const;

export interface DemoManifest {
  generator: string;
  scenes: { file: string; seed: number; lanes: number }[];
  sceneLabels: string;
  video: {
    webm: string;
    mp4: string;
    labels: string;
    fps: number;
    frames: number;
    width: number;
    height: number;
  } | null;
  models: Record<string, string>;
}

type Part = 'models' | 'scenes' | 'video';

/** Sources each part depends on (paths relative to the repo root). */
const PART_SOURCES: Record<Part, string[]> = {
  models: ['scripts/demo/preprocessModel.ts', 'scripts/onnx/builder.ts', 'scripts/onnx/onnx.proto'],
  scenes: ['scripts/demo/scene.ts', 'scripts/demo/prng.ts', 'scripts/lib/prng.ts'],
  video: ['scripts/demo/scene.ts', 'scripts/demo/prng.ts', 'scripts/lib/prng.ts', 'scripts/demo/video.ts'],
};

function partHash(part: Part): string {
  const h = createHash('sha256');
  h.update(`demo-build v1 ${part}\n`);
  h.update(JSON.stringify({ SCENE_SEEDS, DRIVE, JPEG_QUALITY }));
  for (const f of PART_SOURCES[part]) {
    h.update(`\n--- ${f}\n`);
    h.update(readFileSync(join(REPO_ROOT, f)));
  }
  return h.digest('hex').slice(0, 16);
}

function readStamp(): Partial<Record<Part, string>> {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as Partial<Record<Part, string>>;
  } catch {
    return {};
  }
}

/** Write via a temporary file and rename, so an interrupted build never leaves a half file behind. */
function writeAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function scenePath(i: number): string {
  return `scenes/scene_${String(i + 1).padStart(2, '0')}.jpg`;
}

function jsonLines(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function partOutputs(part: Part): string[] {
  if (part === 'models') return Object.values(GENERATED_MODEL_FILES).map((f) => join(DEMO_REPO_DIR, f));
  if (part === 'scenes')
    return [...SCENE_SEEDS.map((_, i) => join(DEMO_DIR, scenePath(i))), join(DEMO_DIR, 'scenes/labels.json')];
  return ['video/road.webm', 'video/road.mp4', 'video/labels.json'].map((f) => join(DEMO_DIR, f));
}

async function buildPart(part: Part, log: (s: string) => void): Promise<void> {
  if (part === 'models') {
    const files: [string, Uint8Array][] = [[GENERATED_MODEL_FILES.laneDetect_preprocess, buildPreprocessModel()]];
    for (const [f, bytes] of files) {
      writeAtomic(join(DEMO_REPO_DIR, f), bytes);
      log(`  wrote assets/demo-repo/${f} (${(bytes.length / 1024).toFixed(0)} KiB)`);
    }
    return;
  }
  if (part === 'scenes') {
    const labels = [];
    for (const [i, seed] of SCENE_SEEDS.entries()) {
      const scene = sampleScene(seed);
      const { rgb } = renderScene(scene);
      const jpg = await sharp(rgb, { raw: { width: scene.width, height: scene.height, channels: 3 } })
        .jpeg({ quality: JPEG_QUALITY })
        .toBuffer();
      writeAtomic(join(DEMO_DIR, scenePath(i)), jpg);
      labels.push(groundTruth(scene, scenePath(i)));
      log(`  scene ${i + 1}/${SCENE_SEEDS.length} (${scene.markings.length} markings)`);
    }
    writeAtomic(join(DEMO_DIR, 'scenes/labels.json'), jsonLines(labels));
    return;
  }
  if (!ffmpegAvailable()) {
    throw new Error(
      'ffmpeg was not found on PATH; install the Debian package `ffmpeg` (scripts/setup.sh does) to build the demo video',
    );
  }
  mkdirSync(join(DEMO_DIR, 'video'), { recursive: true });
  const tmpWebm = join(DEMO_DIR, `video/road.tmp-${process.pid}.webm`);
  const tmpMp4 = join(DEMO_DIR, `video/road.tmp-${process.pid}.mp4`);
  let last = 0;
  const labels = await encodeDrive(DRIVE, tmpWebm, tmpMp4, (i, n) => {
    if (i === n || Date.now() - last > 2000) {
      last = Date.now();
      log(`  video frame ${i}/${n}`);
    }
  });
  renameSync(tmpWebm, join(DEMO_DIR, 'video/road.webm'));
  renameSync(tmpMp4, join(DEMO_DIR, 'video/road.mp4'));
  writeAtomic(join(DEMO_DIR, 'video/labels.json'), jsonLines(labels));
}

function manifest(): DemoManifest {
  return {
    generator: 'scripts/demo/build.ts',
    scenes: SCENE_SEEDS.map((seed, i) => ({
      file: scenePath(i),
      seed,
      lanes: groundTruth(sampleScene(seed), '').lanes.length,
    })),
    sceneLabels: 'scenes/labels.json',
    video: {
      webm: 'video/road.webm',
      mp4: 'video/road.mp4',
      labels: 'video/labels.json',
      fps: DRIVE.fps,
      frames: frameCount(DRIVE),
      width: 1280,
      height: 720,
    },
    models: Object.fromEntries(Object.entries(MODEL_FILES).map(([k, v]) => [k, `../demo-repo/${v}`])),
  };
}

export interface BuildResult {
  built: Part[];
  skipped: Part[];
  ms: number;
}

/** Build whatever is missing or stale. */
export async function buildDemoAssets(opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<BuildResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const started = Date.now();
  const stamp = readStamp();
  const built: Part[] = [];
  const skipped: Part[] = [];
  for (const part of ['models', 'scenes', 'video'] as Part[]) {
    const hash = partHash(part);
    const fresh =
      !opts.force && stamp[part] === hash && partOutputs(part).every((f) => existsSync(f) && statSync(f).size > 0);
    if (fresh) {
      skipped.push(part);
      continue;
    }
    const t0 = Date.now();
    log(`demo: building ${part} ...`);
    await buildPart(part, log);
    stamp[part] = hash;
    writeAtomic(STAMP, JSON.stringify(stamp, null, 2) + '\n');
    log(`demo: ${part} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    built.push(part);
  }
  const manifestPath = join(DEMO_DIR, 'manifest.json');
  const text = JSON.stringify(manifest(), null, 2) + '\n';
  if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== text) writeAtomic(manifestPath, text);
  return { built, skipped, ms: Date.now() - started };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { force: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } },
  });
  const log = values.quiet ? () => {} : (s: string) => console.log(s);
  try {
    const r = await buildDemoAssets({ force: values.force, log });
    console.log(
      `demo assets: ${r.built.length ? `built ${r.built.join(', ')}` : 'up to date'}${r.skipped.length && r.built.length ? ` (kept ${r.skipped.join(', ')})` : ''} in ${(r.ms / 1000).toFixed(1)} s -> ${relative(process.cwd(), DEMO_DIR) || '.'}, ${relative(process.cwd(), DEMO_REPO_DIR)}`,
    );
    return 0;
  } catch (e) {
    console.error(`demo build failed: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
