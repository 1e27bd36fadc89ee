/**
 * Browser-mode E2E of the Metrics view: the demo's embedded server exports Prometheus metrics, the
 * services read them (never the page), and the view charts them. One tab shows the Metrics view,
 * read every 0.5 s (the interval picked in its header), while a second tab of the same app plays
 * the demo video in the inspector: the lane model's request rate rises above zero and its charts gain
 * points as the video plays. The embedded server has no GPU metrics, and the view says so; a server
 * that exports them (a fixture endpoint printing what a GPU Triton prints) gets GPU charts.
 * Screenshots (E2E_SHOTS=1): test-artifacts/e2e/2x-metrics-*.png.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pickModel, REPO_ROOT, shot, startHarness, type Harness } from './harness';

async function connectDemo(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
  await page.click('[data-testid=nav-servers]');
  await page.click('[data-testid=server-demo]');
  // A second tab finds the demo already connected by the services (its status arrives with the
  // next poll, and the button is then "Disconnect"): connect only if it still says so.
  const connected = '[data-testid=server-status][data-state=connected]';
  const shown = await page.waitForSelector(`${connected}, [data-testid=connect]`, { timeout: 30_000 });
  if ((await shown.getAttribute('data-testid')) === 'connect') await shown.click().catch(() => undefined);
  await page.waitForSelector(connected, { timeout: 30_000 });
}

/** What the model's card shows now: points charted, the newest point's time, its req/s. */
async function card(page: Page, model: string) {
  const el = page.locator(`[data-testid="metrics-model-${model}"]`);
  return {
    points: Number(await el.getAttribute('data-points')),
    lastT: Number(await el.getAttribute('data-last-t')),
    rps: Number((await el.getAttribute('data-rps')) || 0),
  };
}

/** Waits (in the page) until the model's card charts at least `min` points (15 s at most). */
async function waitForPoints(page: Page, model: string, min: number): Promise<void> {
  await page.waitForFunction(
    ({ model, min }) =>
      Number(document.querySelector(`[data-testid="metrics-model-${model}"]`)?.getAttribute('data-points')) >= min,
    { model, min },
    { timeout: 15_000 },
  );
}

describe('Metrics view (E2E)', { timeout: 150_000 }, () => {
  let h: Harness;
  let metricsPage: Page;
  before(async () => {
    h = await startHarness();
    metricsPage = h.page;
    await connectDemo(metricsPage);
  });
  after(async () => {
    await h?.close();
  });

  it('charts the embedded server’s metrics, with CPU and a plain “no GPU metrics” note', async () => {
    const page = metricsPage;
    await page.click('[data-testid=nav-metrics]');
    await page.waitForSelector('[data-testid=metrics-ok]', { timeout: 15_000 });
    const source = (await page.textContent('[data-testid=metrics-source]')) ?? '';
    const demo = (await h.services.handlers.listConnections(undefined)).find((p) => p.id === 'demo');
    assert.ok(demo?.metricsUrl && source.includes(demo.metricsUrl), `the view names ${demo?.metricsUrl}: ${source}`);
    await page.waitForSelector('[data-testid="metrics-model-laneDetect_model"][data-points="2"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="metrics-rate-laneDetect_model"] canvas');
    await page.waitForSelector('[data-testid=metrics-cpu] canvas');
    const noGpu = (await page.textContent('[data-testid=metrics-no-gpu]')) ?? '';
    assert.match(noGpu, /exports no GPU metrics/);
    assert.match(noGpu, /Jetson/);
    assert.equal((await card(page, 'laneDetect_model')).rps, 0, 'nothing inferred yet');
    await shot(page, '20-metrics-idle');
  });

  it('the charts move while a video plays in the inspector (second tab)', async () => {
    const player = await h.context.newPage();
    player.on('pageerror', (e) => h.pageErrors.push(`player pageerror: ${e.message}`));
    await player.goto(h.bridge.url);
    await connectDemo(player);
    await player.click('[data-testid=nav-inspector]');
    const demo = await h.services.handlers.demoStatus(undefined);
    const video = demo.media.find((m) => m.kind === 'video' && m.name.endsWith('.webm'));
    if (video) await player.click(`[data-testid="demo-${video.name}"]`);
    else await player.setInputFiles('[data-testid=file-input]', [join(REPO_ROOT, 'assets/demo/video/road.webm')]);
    await player.waitForSelector('[data-testid=inspector-stage][data-source-kind=video] [data-testid=stage-a]', {
      timeout: 20_000,
    });
    await player.waitForFunction(
      () => document.querySelector('[data-testid=model-select-a]')?.getAttribute('data-value'),
      null,
      { timeout: 15_000 },
    );
    await pickModel(player, 'model-select-a', 'laneDetect_model');

    // Read every 0.5 s instead of 1 s. Each read adds one point, so the spacing is the time between two
    // points over the points added between them. Reads start on a fixed cadence: at 1 s the points are
    // a second apart on average however long each read takes, at 0.5 s half a second. Measured before
    // the video plays: playing loads the page's renderer (which both tabs may share) and delays timers.
    await metricsPage.selectOption('[data-testid=metrics-interval]', '500');
    await waitForPoints(metricsPage, 'laneDetect_model', (await card(metricsPage, 'laneDetect_model')).points + 1);
    const from = await card(metricsPage, 'laneDetect_model');
    await waitForPoints(metricsPage, 'laneDetect_model', from.points + 4);
    const to = await card(metricsPage, 'laneDetect_model');
    const meanGap = (to.lastT - from.lastT) / (to.points - from.points);
    assert.ok(
      meanGap < 0.8,
      `the 0.5 s interval applies: ${to.points - from.points} points in ${(to.lastT - from.lastT).toFixed(2)} s`,
    );

    const before = await card(metricsPage, 'laneDetect_model');
    await player.click('[data-testid=play]');
    // Sample the Metrics tab 4 times a second while the video (7 s at 10 fps) plays, until a new
    // point shows the traffic (on a starved machine up to 20 s). No longer: playing costs a core.
    const seen: { points: number; lastT: number; rps: number }[] = [];
    for (let i = 0; i < 80; i++) {
      await metricsPage.waitForTimeout(250);
      seen.push(await card(metricsPage, 'laneDetect_model'));
      if (seen.some((s) => s.rps > 0 && s.lastT > before.lastT)) break;
    }
    await shot(metricsPage, '21-metrics-while-video-plays');
    await shot(player, '22-metrics-video-player-tab');
    await player.keyboard.press('Space').catch(() => undefined);

    assert.ok(seen[seen.length - 1].lastT > before.lastT, 'the chart moved on');
    const peak = Math.max(...seen.map((s) => s.rps));
    assert.ok(peak > 0, `the lane model's req/s rose while the video played: ${seen.map((s) => s.rps).join(', ')}`);
    // What the charts counted is what the server counted: the metrics agree with its statistics.
    const stats = await h.services.handlers.modelStatistics({ connectionId: 'demo', model: 'laneDetect_model' });
    const scrape = await h.services.handlers.serverMetrics({ connectionId: 'demo' });
    const lane = scrape.models.find((m) => m.model === 'laneDetect_model');
    assert.ok(Number(stats.models[0].inferenceStats.success.count) > 0);
    assert.ok(lane && lane.requestSuccess! >= Number(stats.models[0].inferenceStats.success.count));
    const latency = Number(
      await metricsPage.getAttribute('[data-testid="metrics-model-laneDetect_model"]', 'data-request-us'),
    );
    assert.ok(latency > 0 || seen.some((s) => s.rps > 0), `mean request time shown: ${latency} µs`);
    await player.close();
    assert.deepEqual(h.pageErrors, []);
  });

  it('a server that exports GPU metrics gets GPU charts (utilisation, memory, power)', async () => {
    // What a GPU Triton prints, with utilisation and power changing between scrapes.
    let scrapes = 0;
    const gpuServer: Server = createServer((_req, res) => {
      scrapes++;
      res
        .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(
          [
            '# TYPE nv_inference_request_success counter',
            `nv_inference_request_success{model="laneDetect_model",version="1"} ${scrapes * 30}`,
            '# TYPE nv_inference_request_duration_us counter',
            `nv_inference_request_duration_us{model="laneDetect_model",version="1"} ${scrapes * 30 * 4000}`,
            '# TYPE nv_gpu_utilization gauge',
            `nv_gpu_utilization{gpu_uuid="GPU-e2e"} ${(scrapes % 5) / 5}`,
            '# TYPE nv_gpu_memory_total_bytes gauge',
            'nv_gpu_memory_total_bytes{gpu_uuid="GPU-e2e"} 17179869184',
            '# TYPE nv_gpu_memory_used_bytes gauge',
            'nv_gpu_memory_used_bytes{gpu_uuid="GPU-e2e"} 4294967296',
            '# TYPE nv_gpu_power_usage gauge',
            `nv_gpu_power_usage{gpu_uuid="GPU-e2e"} ${40 + (scrapes % 3) * 10}`,
            '',
          ].join('\n'),
        );
    });
    await new Promise<void>((r) => gpuServer.listen(0, '127.0.0.1', r));
    try {
      const port = (gpuServer.address() as { port: number }).port;
      const demo = (await h.services.handlers.listConnections(undefined)).find((p) => p.id === 'demo')!;
      await h.services.handlers.saveConnection({
        name: 'gpu-box',
        url: demo.url,
        metricsUrl: `http://127.0.0.1:${port}/metrics`,
      });
      const page = metricsPage;
      await page.click('[data-testid=nav-servers]');
      await page.click('[data-testid=server-gpu-box]');
      await page.click('[data-testid=connect]');
      await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
      await page.click('[data-testid=nav-metrics]');
      await page.waitForSelector('[data-testid=metrics-gpu][data-uuid=GPU-e2e] canvas', { timeout: 15_000 });
      assert.equal(await page.locator('[data-testid=metrics-no-gpu]').count(), 0);
      // At least 3 points (not exactly 3: on a busy machine more may have come by the time this looks).
      await waitForPoints(page, 'laneDetect_model', 3);
      const heading = (await page.textContent('[data-testid=metrics-gpu]')) ?? '';
      assert.match(heading, /GPU GPU-e2e · [\d.]+ % · 4\.0 GiB of 16\.0 GiB/);
      const rps = Number(await page.getAttribute('[data-testid="metrics-model-laneDetect_model"]', 'data-rps'));
      assert.ok(rps > 0, `req/s from the fixture's counters: ${rps}`);
      assert.equal(
        Number(await page.getAttribute('[data-testid="metrics-model-laneDetect_model"]', 'data-request-us')),
        4000,
      );
      await shot(page, '23-metrics-gpu-server');
      assert.deepEqual(h.pageErrors, []);
    } finally {
      gpuServer.closeAllConnections();
      gpuServer.close();
    }
  });
});
