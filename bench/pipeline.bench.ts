/**
 * The inspector's frame pipeline end to end, in real Chromium: browser mode (the real bridge and
 * services, the built renderer), the embedded server over gRPC, a 30 fps drive video (the demo
 * video at 640x360, re-timed to 30 fps and looped by ffmpeg) played in the inspector with "infer on frame change".
 *
 * Models: a null-cost model with LaneATT's input and output shapes (Reshape/Slice of the input) in
 * FP32 and FP16, and the demo lane model. Per run: delivered inferences/s, displayed frames/s,
 * dropped (skipped) frames, p50/p95 per stage (capture+resize, tensor, bridge, gRPC incl. server
 * compute, decode, result-to-paint), main-thread long tasks (PerformanceObserver 'longtask'), and
 * renderer heap growth (after GC) over the run. A stress run uses 4 requests in flight.
 *
 * Goals (2 requests in flight): null model >= 60 inf/s FP16 and >= 40 FP32; display >= 30 fps; no
 * long task over 50 ms in steady playback; heap growth <= 20 MB over 2 minutes. The demo model and
 * the stress run are reported, not judged. Duration per run: PIPELINE_BENCH_SECONDS (default 20;
 * the 2-minute heap goal: PIPELINE_BENCH_SECONDS=120).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, pickModel, startHarness } from '../test/e2e/harness';
import { laneStub } from '../test/triton-client/helpers/laneStubRepo';
import { summarize } from './stats';

const SECONDS = Number(process.env['PIPELINE_BENCH_SECONDS'] ?? 20);
const WARMUP_S = 3;
const VIDEO_SRC = join(REPO_ROOT, 'assets/demo/video/road.webm');

if (!existsSync(VIDEO_SRC) || !existsSync(join(REPO_ROOT, 'dist/renderer/index.html'))) {
  console.log('pipeline bench: skipped (build the demo assets and the renderer first: npm run setup / npm test)');
  process.exit(0);
}

const tmp = mkdtempSync(join(tmpdir(), 'tritonscope-pipeline-bench-'));
const repo = join(tmp, 'repo');
cpSync(join(REPO_ROOT, 'assets/demo-repo'), repo, { recursive: true });
const stubConfig = (name: string, type: string) => `name: "${name}"
backend: "onnxruntime"
max_batch_size: 1
input [ { name: "input" data_type: ${type} format: FORMAT_NCHW dims: [ 3, 360, 640 ] } ]
output [ { name: "predict_lanes" data_type: ${type} dims: [ 2784, 77 ] } ]
`;
for (const [name, elem, type] of [
  ['null_fp32', 'float', 'TYPE_FP32'],
  ['null_fp16', 'float16', 'TYPE_FP16'],
] as const) {
  mkdirSync(join(repo, name, '1'), { recursive: true });
  writeFileSync(join(repo, name, 'config.pbtxt'), stubConfig(name, type));
  writeFileSync(join(repo, name, '1', 'model.onnx'), laneStub(elem));
}

// A 30 fps video long enough for warm-up + the run (the demo video is 10 fps and 7 s).
const video = join(tmp, 'drive30.webm');
const one = join(tmp, 'clip30.webm');
const loops = Math.ceil((SECONDS + WARMUP_S + 4) / 7);
const ff = spawnSync(
  'ffmpeg',
  [
    '-v',
    'error',
    '-i',
    VIDEO_SRC,
    '-t',
    '7',
    '-vf',
    'scale=640:360,fps=30',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '16',
    '-b:v',
    '1M',
    '-an',
    one,
  ],
  { stdio: 'inherit' },
);
if (ff.status !== 0) throw new Error('ffmpeg could not make the 30 fps bench video');
// Loops by stream copy (no re-encoding): the 7 s clip repeated to cover the run.
writeFileSync(join(tmp, 'list.txt'), Array.from({ length: loops }, () => `file '${one}'`).join('\n'));
const cat = spawnSync(
  'ffmpeg',
  ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', join(tmp, 'list.txt'), '-c', 'copy', video],
  {
    stdio: 'inherit',
  },
);
if (cat.status !== 0) throw new Error('ffmpeg could not loop the bench video');

const h = await startHarness({ demoRepo: repo });
const page = h.page;
let failed = false;
try {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
  await page.reload();
  await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
  await page.click('[data-testid=server-demo]');
  await page.click('[data-testid=connect]');
  await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
  await page.click('[data-testid=nav-inspector]');
  const cdp = await page.context().newCDPSession(page);
  const heapMB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20;
  };
  const index = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models;
  const demoModel = index.find(
    (m) => m.state === 'READY' && /lane/i.test(m.name) && !/fp16|pipeline|preprocess/i.test(m.name),
  )?.name;

  const runs: { label: string; model: string; inFlight: number; goal?: { infPerS: number } }[] = [
    { label: 'null FP16', model: 'null_fp16', inFlight: 2, goal: { infPerS: 60 } },
    { label: 'null FP32', model: 'null_fp32', inFlight: 2, goal: { infPerS: 40 } },
    ...(demoModel ? [{ label: `demo model (${demoModel})`, model: demoModel, inFlight: 2 }] : []),
    { label: 'stress: null FP16, 4 in flight', model: 'null_fp16', inFlight: 4 },
  ];
  for (const run of runs) {
    await pickModel(page, 'model-select-a', run.model);
    await page.fill('[data-testid=max-in-flight]', String(run.inFlight));
    await page.setInputFiles('[data-testid=file-input]', [video]);
    await page.waitForSelector('[data-testid=inspector-stage][data-source-kind=video] [data-testid=stage-a]', {
      timeout: 15_000,
    });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=frame-index]')?.getAttribute('data-index')) === 0,
    );
    await page.click('[data-testid=play]');
    await page.waitForTimeout(WARMUP_S * 1000);
    type Snap = { stages: Record<string, number[]>; requestsDone: number; framesDropped: number; framesShown: number };
    const snap = () =>
      page.evaluate(() =>
        (globalThis as unknown as { __tritonscopePipeline: { snapshot(): unknown } }).__tritonscopePipeline.snapshot(),
      ) as Promise<Snap>;
    await page.evaluate(() => {
      (globalThis as unknown as { __tritonscopePipeline: { reset(): void } }).__tritonscopePipeline.reset();
      (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
    });
    const heap0 = await heapMB();
    const s0 = await snap();
    const t0 = Date.now();
    await page.waitForTimeout(SECONDS * 1000);
    const s1 = await snap();
    const dt = (Date.now() - t0) / 1000;
    const longTasks = await page.evaluate(() => [...(window as unknown as { __longTasks: number[] }).__longTasks]);
    const heap1 = await heapMB();
    await page.click('[data-testid=play]'); // pause
    const infPerS = (s1.requestsDone - s0.requestsDone) / dt;
    const fps = (s1.framesShown - s0.framesShown) / dt;
    const dropped = s1.framesDropped - s0.framesDropped;
    const growth = heap1 - heap0;
    console.log(`\n${run.label}: ${SECONDS} s, ${run.inFlight} in flight`);
    console.log(
      `  delivered ${infPerS.toFixed(1)} inf/s · displayed ${fps.toFixed(1)} fps · dropped ${dropped} frames`,
    );
    for (const [stage, xs] of Object.entries(s1.stages)) {
      if (!xs.length) continue;
      const s = summarize(xs);
      console.log(
        `  ${stage.padEnd(8)} p50 ${s.median.toFixed(2).padStart(7)} ms  p95 ${s.p95.toFixed(2).padStart(7)} ms  (n=${xs.length})`,
      );
    }
    const over = longTasks.filter((d) => d > 50);
    console.log(
      `  long tasks: ${longTasks.length} (max ${Math.max(0, ...longTasks).toFixed(0)} ms, ${over.length} over 50 ms)`,
    );
    console.log(
      `  heap ${heap0.toFixed(1)} -> ${heap1.toFixed(1)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB)`,
    );
    if (run.goal) {
      const misses = [
        infPerS < run.goal.infPerS && `inf/s ${infPerS.toFixed(1)} < ${run.goal.infPerS}`,
        fps < 30 && `display ${fps.toFixed(1)} fps < 30`,
        over.length > 0 && `${over.length} long task(s) over 50 ms`,
        growth > 20 && `heap +${growth.toFixed(1)} MB > 20`,
      ].filter(Boolean);
      console.log(misses.length ? `  GOAL MISSED: ${misses.join('; ')}` : '  goals met');
      if (misses.length) failed = true;
    }
  }
} finally {
  await h.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
