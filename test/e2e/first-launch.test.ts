/**
 * E2E of the first minutes with the app (issue #14, item 12): with the demo server started before
 * the page opens (as `npm start` does), the first paint never shows it disconnected; the Servers
 * view's "not ready" hint names the model that failed without a visit to Models; and the
 * notifications log keeps every toast and error, with the raw detail, after the toast is gone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { shotBoth, startHarness, type Harness } from './harness';

let h: Harness;
let page: Page;

/** Installs, before any load of the page, a recorder of every status-card state and Connect button seen. */
async function recordFirstPaint(p: Page): Promise<void> {
  await p.addInitScript(() => {
    const seen = { states: [] as string[], connectButton: false };
    (window as unknown as { __firstPaint: typeof seen }).__firstPaint = seen;
    new MutationObserver(() => {
      const card = document.querySelector('[data-testid=server-status]');
      const state = card?.getAttribute('data-state');
      if (state && seen.states[seen.states.length - 1] !== state) seen.states.push(state);
      if (document.querySelector('[data-testid=topbar-connect], [data-testid=connect]')) seen.connectButton = true;
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

describe('First launch (E2E)', { timeout: 120_000 }, () => {
  before(async () => {
    // Record, from the very first DOM of every load (the harness's first one included), every state
    // the Servers view's status card shows and whether a Connect button (top bar or card) ever appears.
    h = await startHarness({ startDemo: true, demoStartDelayMs: 2500, beforeOpen: recordFirstPaint });
    page = h.page;
  });
  after(async () => {
    await h?.close();
  });

  it('first paint shows the demo as connected: never "disconnected", no Connect button', async () => {
    // The harness's load is the first paint: the demo server was started before the page opened.
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 15_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { __firstPaint: { states: string[]; connectButton: boolean } }).__firstPaint,
    );
    assert.equal(seen.connectButton, false, `no Connect button flashed (states: ${seen.states.join(' -> ')})`);
    assert.ok(!seen.states.includes('disconnected'), `states shown: ${seen.states.join(' -> ')}`);
    assert.equal(seen.states[seen.states.length - 1], 'connected');
    await shotBoth(page, 'first-01-servers-connected');
  });

  it('a demo still starting when the page opens shows "starting", then connected, never "disconnected"', async () => {
    // As in Electron, whose main process starts the demo at launch without waiting for it.
    await h.services.demo.stop();
    const starting = h.services.demo.start();
    await page.reload();
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 60_000 });
    await starting;
    const seen = await page.evaluate(() => (window as unknown as { __firstPaint: { states: string[] } }).__firstPaint);
    assert.ok(seen.states.includes('starting'), `the start was seen as such: ${seen.states.join(' -> ')}`);
    assert.ok(!seen.states.includes('disconnected'), `states shown: ${seen.states.join(' -> ')}`);
    assert.equal(seen.states[seen.states.length - 1], 'connected');
  });

  it('the not-ready hint names the failing model without a visit to Models', async () => {
    // Still on the Servers view of this fresh page: Models was never opened.
    const failed = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models
      .filter((m) => m.state === 'UNAVAILABLE')
      .map((m) => m.name);
    assert.ok(failed.length > 0, 'the demo repository has a model that fails to load');
    const hint = page.locator('[data-testid=not-ready-hint]');
    await hint.waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      (names) => names.every((n) => document.querySelector('[data-testid=not-ready-hint]')?.textContent?.includes(n)),
      failed,
      { timeout: 15_000 },
    );
    assert.match((await hint.textContent()) ?? '', /failed to load/);
    await shotBoth(page, 'first-02-not-ready-hint');
  });

  it('the notifications log keeps a vanished error toast with its raw detail', async () => {
    const failing = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models.find(
      (m) => m.state === 'UNAVAILABLE',
    )!.name;
    await page.click('[data-testid=nav-models]');
    await page.click(`[data-testid="load-${failing}"]`);
    const toast = page.locator('[data-testid=toast][data-kind=err]', { hasText: `Load ${failing}` });
    await toast.waitFor({ timeout: 30_000 });
    assert.match((await toast.textContent()) ?? '', /Demo \(embedded server\)/, 'the toast names the server');
    // The toast goes (a click, or its timeout): the log still has it.
    await toast.click();
    await toast.waitFor({ state: 'detached' });
    const unread = Number(await page.getAttribute('[data-testid=log-button]', 'data-unread'));
    assert.ok(unread >= 1, `the log button counts unread entries (${unread})`);
    await page.click('[data-testid=log-button]');
    const entry = page.locator('[data-testid=log-entry][data-kind=err]', { hasText: `Load ${failing}` });
    await entry.waitFor();
    await entry.locator('summary').click();
    const detail = JSON.parse((await entry.locator('[data-testid=log-detail]').textContent()) ?? '{}') as {
      code?: string;
      message?: string;
    };
    assert.ok(detail.code, 'the raw detail has the error code');
    assert.match(detail.message ?? '', new RegExp(failing), 'and the server message in full');
    await shotBoth(page, 'first-03-notifications-log');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=log-drawer]').waitFor({ state: 'detached' });
    assert.deepEqual(h.pageErrors, []);
  });
});
