/**
 * E2E of the Models view at scale (issue #14, items 3 and 4's table part): a server with a
 * 1000-model repository (test/helpers/modelRepo.ts), some READY, some failing to load. The table
 * is virtualized; failures come first and the banner names them; search, state filter and sort;
 * a model the user unloads is "unloaded by you", not a failure; per-row req/s and average time
 * from the statistics sampling; arrow keys move through the rows; the inspector's model picker is
 * searchable; the repository tree has a filter. Screenshots (E2E_SHOTS=1) at 1440x900 and 1024x700.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pickedModel, shot, shotBoth, startHarness, type Harness } from './harness';
import { writeScaleRepository, type ScaleRepository } from '../helpers/modelRepo';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';

const COUNT = 1000;
/** Loaded at start (one worker thread each: kept few on a small machine). */
const READY = [1, 2, 3, 500, 998, 999];
const FAILING = [7, 420, 777];

let h: Harness;
let page: Page;
let repo: ScaleRepository;
let repoDir = '';
let server: EmbeddedServer;
let profileId = '';

const ROWS = '[data-testid=models-index] [data-testid^=model-row-]';
const rowsInDom = () => page.locator(ROWS).count();
const firstRow = () => page.locator(ROWS).first();
const visibleRowNames = () =>
  page.$$eval(ROWS, (els) =>
    els
      .map((e) => ({ name: e.getAttribute('data-testid')!.slice('model-row-'.length), y: e.getBoundingClientRect().y }))
      .sort((a, b) => a.y - b.y)
      .map((e) => e.name),
  );

describe('Models view at scale (E2E)', { timeout: 240_000 }, () => {
  before(async () => {
    repoDir = mkdtempSync(join(tmpdir(), 'tritonscope-e2e-scale-'));
    repo = writeScaleRepository(repoDir, { count: COUNT, failing: FAILING });
    server = await startEmbeddedServer({
      modelRepository: repoDir,
      host: '127.0.0.1',
      port: 0,
      controlMode: 'explicit',
      loadModels: [...READY, ...FAILING].map((i) => repo.names[i]),
    });
    // The profile is saved before the page opens, so its first load lists it.
    h = await startHarness({
      beforeOpen: async (_page, backend) => {
        profileId = (await backend.services.handlers.saveConnection({ name: 'Fleet', url: server.url })).id;
      },
    });
    page = h.page;
    await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
    await page.selectOption('[aria-label="Active server"]', profileId);
    await page.click('[data-testid=topbar-connect]');
    await page.waitForSelector('[data-testid=topbar-status]', { timeout: 30_000 });
    await page.click('[data-testid=nav-models]');
    await page.waitForSelector(`[data-testid=models-index] .panel-head:has-text("${COUNT} models")`, {
      timeout: 30_000,
    });
  });
  after(async () => {
    await h?.close();
    await server?.close();
    if (repoDir) rmSync(repoDir, { recursive: true, force: true });
  });

  it('1000 models: rows virtualized, failures first and named in the banner', async () => {
    const inDom = await rowsInDom();
    assert.ok(inDom > 5 && inDom < 80, `only the rows in view are in the DOM (${inDom} of ${COUNT})`);
    // Failures first (the default sort), in name order.
    const top = await visibleRowNames();
    assert.deepEqual(top.slice(0, FAILING.length), repo.failing, `first rows: ${top.slice(0, 5).join(', ')}`);
    assert.equal(await firstRow().getAttribute('data-status'), 'failed');
    // The banner names every failed model.
    const banner = page.locator('[data-testid=unavailable-summary]');
    assert.equal(await banner.locator('[data-testid=failed-count]').getAttribute('data-count'), String(FAILING.length));
    const text = (await banner.textContent()) ?? '';
    for (const name of repo.failing) assert.ok(text.includes(name), `the banner names ${name}: ${text}`);
    // A name in the banner selects that model (its detail shows the failure).
    await page.click(`[data-testid="failed-name-${repo.failing[1]}"]`);
    await page.waitForSelector('[data-testid=model-failure]');
    await shot(page, 'models-01-scale-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot(page, 'models-01-scale-1024');
    // Nothing clipped at 1024: every action button of the rows in view lies inside the table.
    const buttons = await page.$$eval('[data-testid=models-index] [data-testid^=unload-]', (btns) => {
      const pane = document.querySelector('[data-testid=models-index] .panel-body')!.getBoundingClientRect();
      return btns.map((b) => b.getBoundingClientRect().right - pane.right);
    });
    assert.ok(buttons.length > 0);
    assert.ok(
      buttons.every((over) => over <= 0.5),
      `no Unload button sticks out of the pane at 1024 px (${buttons.filter((o) => o > 0.5).length} do)`,
    );
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('search, state filter and sort', async () => {
    const shown = () => page.getAttribute('[data-testid=models-shown]', 'data-shown').then(Number);
    await page.fill('[data-testid=models-search]', 'model_09');
    await page.waitForSelector('[data-testid=models-shown][data-shown="100"]');
    await page.fill('[data-testid=models-search]', repo.names[998]);
    await page.waitForSelector('[data-testid=models-shown][data-shown="1"]');
    assert.deepEqual(await visibleRowNames(), [repo.names[998]]);
    // The reasons are searched too: onnxruntime's text of the broken files.
    await page.fill('[data-testid=models-search]', 'protobuf parsing');
    await page.waitForSelector(`[data-testid=models-shown][data-shown="${FAILING.length}"]`);
    await page.fill('[data-testid=models-search]', '');
    await page.selectOption('[data-testid=models-filter]', 'ready');
    await page.waitForSelector(`[data-testid=models-shown][data-shown="${READY.length}"]`);
    assert.deepEqual(
      await visibleRowNames(),
      READY.map((i) => repo.names[i]),
    );
    await page.selectOption('[data-testid=models-filter]', 'failed');
    assert.equal(await shown(), FAILING.length);
    await page.selectOption('[data-testid=models-filter]', 'not-loaded');
    assert.equal(await shown(), COUNT - READY.length - FAILING.length);
    await page.selectOption('[data-testid=models-filter]', 'all');
    // By name: model_0000 first (a model never loaded); by state: failed, then READY ones.
    await page.selectOption('[data-testid=models-sort]', 'name');
    assert.equal((await visibleRowNames())[0], repo.names[0]);
    await page.selectOption('[data-testid=models-sort]', 'state');
    const byState = await visibleRowNames();
    assert.deepEqual(byState.slice(0, FAILING.length + READY.length), [
      ...repo.failing,
      ...READY.map((i) => repo.names[i]),
    ]);
    await page.selectOption('[data-testid=models-sort]', 'failures');
  });

  it('a model unloaded by the user is "unloaded by you", not counted as failed', async () => {
    const name = repo.names[READY[0]];
    await page.fill('[data-testid=models-search]', name);
    await page.waitForSelector('[data-testid=models-shown][data-shown="1"]');
    await page.click(`[data-testid="unload-${name}"]`);
    await page.click('[data-testid=confirm-ok]');
    const row = page.locator(`[data-testid="model-row-${name}"]`);
    await page.waitForSelector(`[data-testid="model-row-${name}"][data-status=unloaded]`, { timeout: 30_000 });
    // Triton says UNAVAILABLE with reason "unloaded"; the table says what happened.
    assert.equal(await row.getAttribute('data-state'), 'UNAVAILABLE');
    assert.equal((await row.locator('[data-testid=model-unloaded-note]').textContent())?.trim(), 'unloaded by you');
    assert.equal((await row.locator('[data-testid=model-state]').textContent())?.trim(), 'UNLOADED');
    assert.equal(
      await page.getAttribute('[data-testid=failed-count]', 'data-count'),
      String(FAILING.length),
      'the failure count is unchanged',
    );
    await page.selectOption('[data-testid=models-filter]', 'failed');
    await page.waitForSelector('[data-testid=models-shown][data-shown="0"]');
    await page.selectOption('[data-testid=models-filter]', 'all');
    // Put it back through the toast's undo.
    await page.click('[data-testid=toast-action]:has-text("Re-load")');
    await page.waitForSelector(`[data-testid="model-row-${name}"][data-status=ready]`, { timeout: 30_000 });
    await page.fill('[data-testid=models-search]', '');
  });

  it('per-row req/s and average request time come from the statistics sampling', async () => {
    const name = repo.names[READY[1]];
    const conn = profileId;
    // About 20 requests/s for 5 s through the services (a client other than the page).
    const x = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
    const stopAt = Date.now() + 5000;
    let sent = 0;
    while (Date.now() < stopAt) {
      await h.services.handlers.infer({
        connectionId: conn,
        model: name,
        inputs: [{ name: 'X', datatype: 'FP32', shape: [4], data: x }],
      });
      sent++;
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.selectOption('[data-testid=models-sort]', 'rps');
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=models-index] [data-testid^=model-row-]')?.getAttribute('data-testid') ===
        `model-row-${n}`,
      name,
      { timeout: 10_000 },
    );
    const traffic =
      (await page.locator(`[data-testid="model-row-${name}"] [data-testid=model-traffic]`).textContent()) ?? '';
    const m = /([\d.]+)\/s\s*([\d.]+) ms/.exec(traffic);
    assert.ok(m, `traffic cell: ${traffic} (${sent} requests sent)`);
    assert.ok(Number(m[1]) > 1, `req/s ${m[1]}`);
    assert.ok(Number(m[2]) > 0, `average ms ${m[2]}`);
    await shotBoth(page, 'models-02-traffic');
    await page.selectOption('[data-testid=models-sort]', 'failures');
  });

  it('arrow keys move the selection through the rows, keeping it in view', async () => {
    const detailName = () => page.locator('[data-testid=model-detail] .panel-head span').first().textContent();
    // A click on the first row, then the keyboard only.
    await firstRow().click({ position: { x: 5, y: 5 } });
    assert.equal(await detailName(), repo.failing[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await detailName(), repo.failing[2]);
    await page.keyboard.press('ArrowUp');
    assert.equal(await detailName(), repo.failing[1]);
    await page.keyboard.press('End');
    const last = repo.names.filter((n) => !repo.failing.includes(n)).at(-1)!;
    assert.equal(await detailName(), last);
    // Scrolled to the end: the selected row is rendered and inside the table's viewport.
    const row = page.locator(`[data-testid="model-row-${last}"]`);
    assert.equal(await row.getAttribute('aria-selected'), 'true');
    const [rowBox, bodyBox] = [await row.boundingBox(), await page.locator('.mbody').boundingBox()];
    assert.ok(
      rowBox && bodyBox && rowBox.y >= bodyBox.y - 1 && rowBox.y + rowBox.height <= bodyBox.y + bodyBox.height + 1,
    );
    await page.keyboard.press('PageUp');
    assert.notEqual(await detailName(), last);
    await page.keyboard.press('Home');
    assert.equal(await detailName(), repo.failing[0]);
    await shotBoth(page, 'models-03-keyboard');
  });

  it("the inspector's model picker is searchable", async () => {
    await page.click('[data-testid=nav-inspector]');
    const picker = page.locator('[data-testid=model-select-a]');
    await picker.click();
    await picker.fill('99');
    // READY models only, narrowed by the text (model_0998, model_0999; not the unloaded/failing ones)
    const options = await page.$$eval('[data-testid=model-select-a-option]', (els) =>
      els.map((e) => e.getAttribute('data-value')),
    );
    assert.deepEqual(options, [repo.names[998], repo.names[999]]);
    await shotBoth(page, 'models-04-inspector-picker');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await pickedModel(page, 'model-select-a'), repo.names[999]);
  });

  it('the repository tree has a filter', async () => {
    await page.click('[data-testid=nav-repository]');
    await page.fill('[aria-label="Folder path"]', repoDir);
    let listings = 0;
    const stop = h.onApiCall((method) => {
      if (method === 'listRepositoryModels') listings++;
    });
    await page.click('button:has-text("Open")');
    await page.waitForSelector(`[data-testid="open-config-${repo.names[0]}"]`, { timeout: 15_000 });
    stop();
    assert.equal(listings, 1, 'opening the folder lists it once');
    assert.equal(await page.getAttribute('[data-testid=repo-filter-count]', 'data-shown'), String(COUNT));
    await page.fill('[data-testid=repo-filter]', 'model_077');
    await page.waitForSelector('[data-testid=repo-filter-count][data-shown="10"]');
    assert.equal(await page.locator('[data-testid^=open-config-]').count(), 10);
    await page.click(`[data-testid="open-config-${repo.names[777]}"]`);
    await page.waitForSelector('[data-testid=editor-path]:has-text("model_0777/config.pbtxt")');
    await shotBoth(page, 'models-05-repo-filter');
    assert.deepEqual(h.pageErrors, []);
  });
});
