/**
 * `tritonscope compare` as a real child process against models that really differ: the demo lane
 * model against its FP16 twin (the real question: small drift), and against a stand-in with the
 * same LaneATT shapes on a second server (--url-b; everything differs). Folder and video sources.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { makeLaneStubRepo, type TempRepo } from '../triton-client/helpers/laneStubRepo';
import { DEMO_SCENES, REPO_ROOT, demoAssetsMissing, startDemoLaneServer, type DemoLaneServer } from './demoServer';
import { cliHost, spawnCli } from '../helpers/cli';

const missing = demoAssetsMissing();
const VIDEO = join(REPO_ROOT, 'assets/demo/video/road.webm');
let demo: DemoLaneServer | undefined;
let stubRepo: TempRepo | undefined;
let stub: EmbeddedServer | undefined;
let tmp = '';

before(async () => {
  if (missing) return;
  demo = await startDemoLaneServer();
  stubRepo = makeLaneStubRepo();
  stub = await startEmbeddedServer({
    modelRepository: stubRepo.dir,
    controlMode: 'explicit',
    loadModels: ['lane_stub'],
  });
  tmp = mkdtempSync(join(tmpdir(), 'tritonscope-compare-'));
  for (const n of ['scene_01.jpg', 'scene_02.jpg', 'scene_03.jpg']) copyFileSync(join(DEMO_SCENES, n), join(tmp, n));
});
after(async () => {
  await demo?.close();
  await stub?.close();
  stubRepo?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// main() in one helper process; the refused-arguments case also runs the real binary.
const host = cliHost();
after(() => host.close());
const cli = (args: string[]) => host.run(args, { cwd: REPO_ROOT });

interface Report {
  decoder: string;
  summary: {
    frames: number;
    disagreeing: number;
    meanAbsOutput: number;
    maxAbsOutput: number;
    onlyA: number;
    onlyB: number;
    meanDx: number;
  };
  frames: {
    index: number;
    label: string;
    lanesA: number;
    lanesB: number;
    outputs: { name: string; maxAbs: number; meanAbs: number }[];
    flips: { rows: number; onlyA: number; onlyB: number };
    matches: { meanDx: number; maxDx: number }[];
    onlyA: number[];
    onlyB: number[];
  }[];
}

test('compare FP32 vs FP16 over a folder: small output drift, lanes matched, numbers consistent with infer', async (t) => {
  if (missing || !demo) return t.skip(missing ?? 'no demo server');
  if (!demo.fp16) return t.skip('the demo repository has no FP16 twin');
  const csv = join(tmp, 'out.csv');
  const r = await cli([
    'compare',
    '--model-a',
    demo.fp32,
    '--model-b',
    demo.fp16,
    '--images',
    tmp,
    '--json',
    '--csv',
    csv,
    '--url',
    demo.url,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.decoder, 'laneatt');
  assert.equal(rep.summary.frames, 3);
  for (const f of rep.frames) {
    assert.equal(f.outputs[0].name, 'predict_lanes');
    assert.ok(f.outputs[0].maxAbs > 0, 'FP16 is not bit-identical to FP32');
    // Columns hold logits and x positions in pixels (FP16 steps 0.25-0.5 px between 256 and 640):
    // the mean stays under one such step, not zero.
    assert.ok(
      f.outputs[0].meanAbs < 0.25 && f.outputs[0].maxAbs < 8,
      `FP16 drift stays small (${JSON.stringify(f.outputs[0])})`,
    );
    assert.equal(f.flips.rows, 2784);
    assert.ok(f.matches.length > 0, `${f.label}: lanes matched`);
    assert.equal(f.matches.length + f.onlyA.length, f.lanesA);
    assert.equal(f.matches.length + f.onlyB.length, f.lanesB);
    for (const m of f.matches)
      assert.ok(m.meanDx <= m.maxDx && m.maxDx < 10, `FP16 moves lanes by < 10 px (${m.maxDx})`);
  }
  // The lane counts are those `infer` reports for the same image and model.
  const first = rep.frames[0];
  const inferA = JSON.parse(
    (await cli(['infer', '--model', demo.fp32, '--image', join(tmp, first.label), '--json', '--url', demo.url])).stdout,
  );
  assert.equal(inferA.lanes[0].lanes.length, first.lanesA);
  const rows = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(rows.length, 4);
  assert.match(rows[0], /^frame,label,lanes_a,lanes_b,matched,only_a,only_b,worst_mean_dx_px/);
});

test('compare against a different model on a second server (--url-b), over video frames: disagreement, worst first', async (t) => {
  if (missing || !demo || !stub) return t.skip(missing ?? 'no demo server');
  const r = await cli([
    'compare',
    '--model-a',
    demo.fp32,
    '--model-b',
    'lane_stub',
    '--url-b',
    stub.url,
    '--video',
    VIDEO,
    '--every',
    '10',
    '--max-frames',
    '4',
    '--json',
    '--url',
    demo.url,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as Report & { a: { url: string }; b: { url: string } };
  assert.deepEqual([rep.a.url, rep.b.url], [demo.url, stub.url], 'the report names the server each side ran on');
  assert.equal(rep.summary.frames, 4);
  assert.deepEqual(
    rep.frames.map((f) => f.index).sort((a, b) => a - b),
    [0, 10, 20, 30],
  );
  assert.ok(rep.summary.meanAbsOutput > 0.05, `outputs differ a lot (${rep.summary.meanAbsOutput})`);
  assert.ok(rep.summary.disagreeing >= 1, 'lanes disagree on some frame');
  const unmatched = (f: Report['frames'][number]) => f.onlyA.length + f.onlyB.length;
  for (let i = 1; i < rep.frames.length; i++)
    assert.ok(unmatched(rep.frames[i - 1]) >= unmatched(rep.frames[i]), 'frames are listed worst first');
  const bad = await spawnCli(['compare', '--model-a', demo.fp32, '--model-b', 'x', '--url', demo.url]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /exactly one of --images DIR and --video FILE/);
});

test('compare over a folder: an image that cannot be decoded is skipped and listed, the others compared', async (t) => {
  if (missing || !demo) return t.skip(missing ?? 'no demo server');
  const dir = mkdtempSync(join(tmpdir(), 'tritonscope-compare-broken-'));
  try {
    copyFileSync(join(DEMO_SCENES, 'scene_01.jpg'), join(dir, 'a.jpg'));
    // A JPEG cut off after its header: its size reads, its pixels do not.
    writeFileSync(join(dir, 'b.jpg'), readFileSync(join(DEMO_SCENES, 'scene_02.jpg')).subarray(0, 2000));
    const r = await cli([
      'compare',
      '--model-a',
      demo.fp32,
      '--model-b',
      demo.fp32,
      '--images',
      dir,
      '--json',
      '--url',
      demo.url,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as Report & { skipped: { label: string; reason: string }[] };
    assert.equal(rep.summary.frames, 1);
    assert.deepEqual(
      rep.skipped.map((s) => s.label),
      ['b.jpg'],
    );
    assert.match(r.stderr, /^skipped b\.jpg: cannot (decode|read) image/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
