/**
 * The built demo media: the build is idempotent, labels match the generator, the video files are
 * real VP9/H.264 streams with one label line per frame, and everything stays small.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  buildDemoAssets,
  DEMO_DIR,
  DEMO_REPO_DIR,
  DRIVE,
  SCENE_SEEDS,
  type DemoManifest,
} from '../../scripts/demo/build';
import { groundTruth, sampleScene, type TuSimpleRecord } from '../../scripts/demo/scene';
import { driveFrame, frameCount } from '../../scripts/demo/video';

const lines = (f: string): TuSimpleRecord[] =>
  readFileSync(join(DEMO_DIR, f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TuSimpleRecord);

before(async () => {
  await buildDemoAssets({ log: () => {} });
});

test('a second build finds everything up to date and is fast', async () => {
  const r = await buildDemoAssets({ log: () => {} });
  assert.deepEqual(r.built, []);
  assert.deepEqual(r.skipped, ['models', 'scenes', 'video']);
  assert.ok(r.ms < 5000, `${r.ms} ms`);
});

test('manifest lists the scenes, labels, video and models, and they exist', () => {
  const m = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as DemoManifest;
  assert.equal(m.scenes.length, SCENE_SEEDS.length);
  for (const s of m.scenes) assert.ok(statSync(join(DEMO_DIR, s.file)).size > 10_000, s.file);
  assert.ok(m.video);
  assert.equal(m.video.frames, frameCount(DRIVE));
  for (const f of [m.sceneLabels, m.video.webm, m.video.mp4, m.video.labels, ...Object.values(m.models)]) {
    assert.ok(statSync(join(DEMO_DIR, f)).size > 0, f);
  }
});

test("scene labels are the generator's exact ground truth and the JPEGs are 1280x720", async () => {
  const labels = lines('scenes/labels.json');
  assert.equal(labels.length, SCENE_SEEDS.length);
  for (const [i, seed] of SCENE_SEEDS.entries()) {
    assert.deepEqual(labels[i], groundTruth(sampleScene(seed), labels[i].raw_file));
    const meta = await sharp(join(DEMO_DIR, labels[i].raw_file)).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width, 1280);
    assert.equal(meta.height, 720);
  }
  const laneCounts = new Set(labels.map((l) => l.lanes.length));
  assert.ok(laneCounts.size >= 3, `scene set mixes lane counts: ${[...laneCounts]}`);
});

function ffprobe(file: string): {
  codec_name: string;
  width: number;
  height: number;
  r_frame_rate: string;
  nb_read_frames: string;
} {
  const r = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,r_frame_rate,nb_read_frames',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).streams[0];
}

test('the drive is a VP9 WebM and an H.264 MP4 with one label line per frame', () => {
  const n = frameCount(DRIVE);
  for (const [file, codec] of [
    ['video/road.webm', 'vp9'],
    ['video/road.mp4', 'h264'],
  ] as const) {
    const s = ffprobe(join(DEMO_DIR, file));
    assert.equal(s.codec_name, codec, file);
    assert.equal(s.width, 1280);
    assert.equal(s.height, 720);
    assert.equal(s.r_frame_rate, `${DRIVE.fps}/1`);
    assert.equal(Number(s.nb_read_frames), n, file);
  }
  const labels = lines('video/labels.json');
  assert.equal(labels.length, n);
  for (const i of [0, Math.floor(n / 2), n - 1])
    assert.deepEqual(labels[i], groundTruth(driveFrame(DRIVE, i), labels[i].raw_file));
  assert.ok(n / DRIVE.fps >= 6 && n / DRIVE.fps <= 8);
});

function du(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? du(p) : st.size;
  }
  return total;
}

test('all demo assets together stay well under 15 MB', () => {
  const bytes = du(DEMO_DIR) + du(DEMO_REPO_DIR);
  assert.ok(bytes < 12 * 1024 * 1024, `${(bytes / 1048576).toFixed(1)} MiB`);
});
