/**
 * Browser-mode E2E of the inspector's frame path: with the frame worker, a video's frames go out
 * on the worker's own bridge socket as 8-bit image planes (one byte a sample), the page's main
 * thread sends none of them, and the lanes come back; while a video plays, every result is of the
 * frame it is stored under; with the worker's script blocked (a stricter CSP, an old engine), the
 * same frames are inferred on the main thread instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, download, pickModel, startHarness, type Backend, type Harness } from './harness';
import { cliHost } from '../helpers/cli';
import { frameProbe, frameProbeConfig } from '../triton-client/helpers/laneStubRepo';

const VIDEO = join(REPO_ROOT, 'assets/demo/video/road.webm');
const STILL = join(REPO_ROOT, 'assets/demo/scenes/scene_01.jpg');
const host = cliHost();
after(() => host.close());

/** Infer calls from then on, by kind: image planes or tensors (as the bridge hands them to the services). */
function watchInferCalls(backend: Backend) {
  const seen = { image: 0, tensor: 0 };
  backend.onApiCall((method, request) => {
    if (method !== 'infer') return;
    if ((request as { image?: unknown }).image) seen.image++;
    else seen.tensor++;
  });
  return seen;
}

async function connectDemo(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
  await page.click('[data-testid=nav-servers]');
  await page.click('[data-testid=server-demo]');
  // A second page finds the demo connected already (the services are shared): connect only if asked.
  const connected = '[data-testid=server-status][data-state=connected]';
  const shown = await page.waitForSelector(`${connected}, [data-testid=connect]`, { timeout: 30_000 });
  if ((await shown.getAttribute('data-testid')) === 'connect') await shown.click().catch(() => undefined);
  await page.waitForSelector(connected, { timeout: 30_000 });
}

/**
 * Opens the demo video, plays it until `frames` image frames went out (at most 10 s), and pauses:
 * playing costs a core (decoding, the worker, the model), so no longer than the test needs.
 */
async function playDemoVideo(page: Page, seen: { image: number }, frames: number): Promise<void> {
  await connectDemo(page);
  await page.click('[data-testid=nav-inspector]');
  await page.setInputFiles('[data-testid=file-input]', [VIDEO]);
  await page.waitForSelector('[data-testid=inspector-stage][data-source-kind=video] [data-testid=stage-a]', {
    timeout: 15_000,
  });
  await page.waitForFunction(() => document.querySelector('[data-testid=lane-count]') !== null, null, {
    timeout: 30_000,
  });
  const before = seen.image;
  await page.click('[data-testid=play]');
  for (const until = Date.now() + 10_000; seen.image - before < frames && Date.now() < until;)
    await page.waitForTimeout(50);
  // Pause (a click on an ended video would play it again).
  const ended = await page.$eval('[data-testid=video-element]', (v) => (v as HTMLVideoElement).ended);
  if (!ended) await page.click('[data-testid=play]');
}

/**
 * The probe video's frames: frame i is one grey level, 4 from its neighbours' (see frameProbe). A
 * frame comes back within ~1.1 levels of its own (VP8 and Chromium's colour conversion), so a level
 * within 2 of frame i's names frame i.
 */
const PROBE = 'frame_probe';
const PROBE_FRAMES = 60;
const probeLevel = (i: number) => 16 + 4 * i;

/** The inspector's request counters (renderer/src/panels/inspector/pipelineStats.ts). */
const pipelineCounts = (page: Page) =>
  page.evaluate(() => {
    type Snapshot = { requestsSent: number; requestsDone: number; framesDropped: number };
    const p = (globalThis as unknown as { __tritonscopePipeline: { snapshot(): Snapshot } }).__tritonscopePipeline;
    const s = p.snapshot();
    return { sent: s.requestsSent, done: s.requestsDone, dropped: s.framesDropped };
  });

/** A 60 fps VP8 video of PROBE_FRAMES uniform grey frames. */
function makeProbeVideo(dir: string): string {
  const out = join(dir, 'probe60.webm');
  const frames = Buffer.concat(Array.from({ length: PROBE_FRAMES }, (_, i) => Buffer.alloc(640 * 360, probeLevel(i))));
  const ff = spawnSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', '640x360', '-r', '60', '-i', '-'],
      ...['-c:v', 'libvpx', '-b:v', '1M', '-pix_fmt', 'yuv420p', out],
    ],
    { input: frames },
  );
  assert.equal(ff.status, 0, `ffmpeg: ${ff.stderr?.toString()}`);
  return out;
}

describe('Inspector frame path (E2E)', () => {
  let h: Harness;
  let dir = '';
  before(async () => {
    // The demo repository plus the frame probe, whose lane says which frame it was computed from.
    dir = mkdtempSync(join(tmpdir(), 'tritonscope-e2e-probe-'));
    const repo = join(dir, 'repo');
    cpSync(join(REPO_ROOT, 'assets/demo-repo'), repo, { recursive: true });
    mkdirSync(join(repo, PROBE, '1'), { recursive: true });
    writeFileSync(join(repo, PROBE, 'config.pbtxt'), frameProbeConfig(PROBE));
    writeFileSync(join(repo, PROBE, '1', 'model.onnx'), frameProbe());
    h = await startHarness({ demoRepo: repo });
  });
  after(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('video frames go out from the frame worker as 8-bit image planes; lanes come back', async () => {
    const seen = watchInferCalls(h);
    await playDemoVideo(h.page, seen, 3);
    assert.ok(seen.image >= 3, `frames sent as images: ${seen.image}`);
    assert.equal(seen.tensor, 0, 'no FP32 tensor crossed the bridge');
    const workers = h.page.workers().map((w) => w.url());
    assert.ok(
      workers.some((u) => /\/assets\/worker-[\w-]+\.js$/.test(u)),
      `the frame worker runs: ${workers.join(', ')}`,
    );
    assert.deepEqual(h.pageErrors, []);
  });

  it('a still image: the lanes the UI draws are exactly those of `tritonscope infer` (same pixels, tensor, decoder)', async () => {
    const seen = watchInferCalls(h);
    const page = h.page;
    await page.setInputFiles('[data-testid=file-input]', [STILL]);
    await page.waitForSelector('[data-testid=inspector-stage][data-source-kind=images] [data-testid=stage-a]', {
      timeout: 15_000,
    });
    await page.waitForSelector('[data-testid=frame-list] li:has-text("scene_01.jpg") .dot.ok', { timeout: 30_000 });
    const model = await page.getAttribute('[data-testid=model-select-a]', 'data-value');
    assert.ok(model, 'a model is picked');
    assert.ok(seen.image >= 1 && seen.tensor === 0, `the frame went as image planes: ${JSON.stringify(seen)}`);
    const demo = (await h.services.handlers.listConnections(undefined)).find((p) => p.id === 'demo');
    const r = await host.run(['infer', '--model', model, '--image', STILL, '--json', '--url', demo!.url]);
    assert.equal(r.code, 0, r.stderr);
    const cli = (JSON.parse(r.stdout) as { lanes: { lanes: unknown[] }[] }).lanes[0].lanes;
    assert.ok(cli.length > 0, 'the model finds lanes in the scene');
    // Same pixels (the worker reads the still through a VideoFrame), same tensor, same decoder
    // settings. The stage may draw the frame's lanes a render after its list entry turns green: wait
    // (up to 10 s) for them, then compare what is drawn.
    await page
      .waitForFunction(
        (want) => document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lanes') === want,
        JSON.stringify([cli]),
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    const ui = JSON.parse((await page.getAttribute('[data-testid=stage-a]', 'data-lanes')) ?? '[]') as unknown[][];
    assert.deepEqual(ui[0], cli);
    assert.deepEqual(h.pageErrors, []);
  });

  it('a video stepped and played: every result is of the frame it is stored under (frames dropped, late sends)', async () => {
    const page = h.page;
    const video = makeProbeVideo(dir);
    await connectDemo(page);
    await page.click('[data-testid=nav-inspector]');
    await pickModel(page, 'model-select-a', PROBE);
    await page.fill('[data-testid=max-in-flight]', '2');
    await page.setInputFiles('[data-testid=file-input]', [video]);
    await page.waitForFunction(
      (n) => (document.querySelector('[data-testid=frame-index]')?.textContent ?? '').trim() === `1 / ${n}`,
      PROBE_FRAMES,
      { timeout: 15_000 },
    );
    const before = await pipelineCounts(page);
    // Paused: 15 steps forward, 30 ms apart (faster than the answers: requests wait, seeks overtake
    // captures), then play from there to the end.
    await page.evaluate(async () => {
      for (let i = 0; i < 15; i++) {
        document.querySelector<HTMLButtonElement>('[data-testid=step-forward]')!.click();
        await new Promise((r) => setTimeout(r, 30));
      }
    });
    await page.waitForSelector('[data-testid=frame-index][data-index="15"]');
    await page.click('[data-testid=play]');
    await page.waitForFunction(
      () => document.querySelector<HTMLVideoElement>('[data-testid=video-element]')!.ended,
      null,
      {
        timeout: 30_000,
      },
    );
    // Every request answered (or not sent) and its result in the store.
    for (const until = Date.now() + 15_000; Date.now() < until; await page.waitForTimeout(50)) {
      const c = await pipelineCounts(page);
      if (c.sent === c.done) break;
    }
    await page.waitForTimeout(200);
    const after = await pipelineCounts(page);
    const seq = JSON.parse((await download(page, 'export-sequence-json')).text) as {
      frames: { index: number; a?: { model: string; lanes: { points: ({ x: number } | [number, number])[] }[] } }[];
    };
    const inferred = seq.frames.filter((f) => f.a?.model === PROBE);
    const wrong: string[] = [];
    for (const f of inferred) {
      const lanes = f.a!.lanes;
      const p = lanes[0]?.points[0];
      const x = p === undefined ? NaN : Array.isArray(p) ? p[0] : p.x;
      // The level the frame's pixels had: 640 * mean(BGR / 255) = x.
      const level = (x * 255) / 640;
      if (lanes.length !== 1 || !(Math.abs(level - probeLevel(f.index)) < 2))
        wrong.push(
          `frame ${f.index}: ${lanes.length} lane(s), level ${level.toFixed(2)} (frame ${((level - 16) / 4).toFixed(1)})`,
        );
    }
    const sent = after.sent - before.sent;
    const dropped = after.dropped - before.dropped;
    assert.ok(
      inferred.length >= 10,
      `frames inferred while playing: ${inferred.length} (${sent} sent, ${dropped} dropped)`,
    );
    assert.deepEqual(wrong, [], `${inferred.length} frames inferred, ${sent} requests, ${dropped} frames dropped`);
    assert.deepEqual(h.pageErrors, []);
  });

  it('without the frame worker (its script blocked) the frames are inferred on the main thread', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      await context.route(/\/assets\/worker-[\w-]+\.js$/, (route) => route.abort());
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const seen = watchInferCalls(h);
      await page.goto(h.bridge.url);
      await playDemoVideo(page, seen, 3);
      assert.ok(seen.image >= 1, `frames inferred without the worker: ${seen.image}`);
      assert.deepEqual(
        page.workers().map((w) => w.url()),
        [],
        'no frame worker runs',
      );
      assert.equal(await page.locator('[data-testid=infer-error]').count(), 0, 'no frame failed');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
