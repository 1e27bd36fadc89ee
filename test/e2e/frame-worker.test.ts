/**
 * Browser-mode E2E of the inspector's frame path: with the frame worker, a video's frames go out
 * on the worker's own bridge socket as 8-bit image planes (one byte a sample), the page's main
 * thread sends none of them, and the lanes come back; with the worker's script blocked (a
 * stricter CSP, an old engine), the same frames are inferred on the main thread instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, startHarness, type Backend, type Harness } from './harness';
import { cliHost } from '../helpers/cli';

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

/**
 * Opens the demo video, plays it until `frames` image frames went out (at most 10 s), and pauses:
 * playing costs a core (decoding, the worker, the model), so no longer than the test needs.
 */
async function playDemoVideo(page: Page, seen: { image: number }, frames: number): Promise<void> {
  await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
  await page.click('[data-testid=server-demo]');
  // A second page finds the demo connected already (the services are shared): connect only if asked.
  const connected = '[data-testid=server-status][data-state=connected]';
  const shown = await page.waitForSelector(`${connected}, [data-testid=connect]`, { timeout: 30_000 });
  if ((await shown.getAttribute('data-testid')) === 'connect') await shown.click().catch(() => undefined);
  await page.waitForSelector(connected, { timeout: 30_000 });
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

describe('Inspector frame path (E2E)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
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
