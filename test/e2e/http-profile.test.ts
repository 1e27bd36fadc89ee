/**
 * Browser-mode E2E over HTTP/REST: a profile of our own made by pasting an http:// address (the
 * editor switches the protocol), the protocol shown in the list and the top bar, and the inspector
 * driven through the demo server's HTTP/REST profile: every inference of the frame goes through
 * that connection, and lanes are drawn.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pickModel, REPO_ROOT, shot, startHarness, type Harness } from './harness';

const SCENE = join(REPO_ROOT, 'assets/demo/scenes', 'scene_01.jpg');

describe('HTTP/REST profile (E2E)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
    // Connecting the demo profile starts the embedded server; its HTTP/REST profile appears then.
    await h.page.click('[data-testid=server-demo]');
    await h.page.click('[data-testid=connect]');
    await h.page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 60_000 });
    await h.page.waitForSelector('[data-testid=server-demo-http]', { timeout: 30_000 });
  });
  after(async () => {
    await h?.close();
  });

  it('a pasted http:// address makes an HTTP/REST profile that connects', async () => {
    const page = h.page;
    const demoHttp = (await h.services.handlers.listConnections(undefined)).find((p) => p.id === 'demo-http');
    assert.ok(demoHttp, 'the demo server has an HTTP/REST profile');
    await page.click('[data-testid=add-server]');
    await page.fill('[data-testid=profile-name]', 'Orin over HTTP');
    await page.fill('[data-testid=profile-url]', `http://${demoHttp.url}`);
    assert.equal(await page.inputValue('[data-testid=profile-url]'), demoHttp.url, 'host:port kept, scheme read');
    assert.equal(await page.isChecked('[data-testid=profile-protocol-http]'), true);
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid="server-Orin over HTTP"]');
    assert.equal(
      (await page.textContent('[data-testid="server-Orin over HTTP"] [data-testid=server-protocol]'))?.trim(),
      'HTTP/REST',
    );
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
    assert.equal((await page.textContent('[data-testid=profile-protocol]'))?.trim(), 'HTTP/REST');
    const saved = (await h.services.handlers.listConnections(undefined)).find((p) => p.name === 'Orin over HTTP');
    assert.equal(saved?.protocol, 'http');
    await shot(page, 'http-01-profile');
  });

  it("the inspector infers a frame through the demo server's HTTP/REST profile", async () => {
    const page = h.page;
    const calls: { connectionId: string; ok: boolean }[] = [];
    const infer = h.services.handlers.infer;
    h.services.handlers.infer = async (req) => {
      const call = { connectionId: req.connectionId, ok: false };
      calls.push(call);
      const r = await infer(req);
      call.ok = true;
      return r;
    };
    try {
      await page.click('[data-testid=nav-servers]');
      await page.click('[data-testid=server-demo-http]');
      await page.click('[data-testid=connect]');
      await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
      const picked = await page.$eval(
        '[data-testid=server-picker] select',
        (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '',
      );
      assert.match(picked, /— http:\/\/127\.0\.0\.1:\d+$/, 'the top bar names the protocol by its scheme');

      await page.click('[data-testid=nav-inspector]');
      await page.setInputFiles('[data-testid=file-input]', [SCENE]);
      await page.waitForSelector('[data-testid=frame-list] li:nth-child(1)');
      await page.waitForFunction(
        () => document.querySelector('[data-testid=model-select-a]')?.getAttribute('data-value'),
        null,
        { timeout: 15_000 },
      );
      await pickModel(page, 'model-select-a', 'laneDetect_model');
      await page.waitForFunction(() => document.querySelector('[data-testid=lane-count]') !== null, null, {
        timeout: 60_000,
      });
      const deadline = Date.now() + 30_000;
      while (!calls.some((c) => c.ok) && Date.now() < deadline) await page.waitForTimeout(250);
      assert.ok(
        calls.some((c) => c.ok),
        'the frame was inferred',
      );
      assert.deepEqual([...new Set(calls.map((c) => c.connectionId))], ['demo-http'], 'only over HTTP/REST');
      const lanes = JSON.parse((await page.getAttribute('[data-testid=stage-a]', 'data-lanes')) ?? '[]') as unknown[];
      assert.ok(lanes.length > 0, 'the trained model finds lanes in the demo scene over HTTP/REST');
      assert.equal(await page.locator('[data-testid=infer-error]').count(), 0);
      await shot(page, 'http-02-inspector');
      assert.deepEqual(h.pageErrors, []);
    } finally {
      h.services.handlers.infer = infer;
    }
  });
});
