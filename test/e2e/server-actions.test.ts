/**
 * E2E of actions that change a server (issue #14, items 2 and 6), with the demo server and a
 * second one ("Orin lab", its own repository): Apply names the server it loads on and loads there;
 * Unload and Delete-profile ask first, naming what they act on; an unload offers "Re-load"; a
 * read-only (production) profile disables load, unload and apply with the reason as tooltip; a
 * server that dies leaves no live-looking table (states unknown, actions off), shows its backoff
 * (capped at 10 s) and comes back at once with "Retry now".
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, shotBoth, startHarness, type Harness } from './harness';
import { writeScaleRepository } from '../helpers/modelRepo';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';

const SHARED_MODEL = 'laneDetect_preprocess';

let h: Harness;
let page: Page;
let labDir = '';
let lab: EmbeddedServer;
let labId = '';
let labModels: string[] = [];

const startLab = (port = 0) =>
  startEmbeddedServer({
    modelRepository: labDir,
    host: '127.0.0.1',
    port,
    controlMode: 'explicit',
    loadModels: '*',
  });

async function instanceCount(connectionId: string): Promise<number> {
  const { config } = await h.services.handlers.modelConfig({ connectionId, model: SHARED_MODEL });
  return Number((config.instance_group as { count?: number }[])[0].count);
}

async function activate(id: string): Promise<void> {
  await page.selectOption('[aria-label="Active server"]', id);
  if (await page.locator('[data-testid=topbar-connect]').count()) await page.click('[data-testid=topbar-connect]');
  await page.waitForSelector('[data-testid=topbar-status]', { timeout: 30_000 });
}

describe('Server-changing actions (E2E)', { timeout: 240_000 }, () => {
  before(async () => {
    // The lab server has a model of the same name as the demo's (as a staging and a production
    // server would), and three small ones.
    labDir = mkdtempSync(join(tmpdir(), 'tritonscope-e2e-lab-'));
    cpSync(join(REPO_ROOT, 'assets/demo-repo', SHARED_MODEL), join(labDir, SHARED_MODEL), { recursive: true });
    labModels = writeScaleRepository(labDir, { count: 3, prefix: 'lab' }).names;
    lab = await startLab();
    // The profile is saved before the page opens, so its first load lists it.
    h = await startHarness({
      startDemo: true,
      beforeOpen: async (_page, backend) => {
        labId = (await backend.services.handlers.saveConnection({ name: 'Orin lab', url: lab.url })).id;
      },
    });
    page = h.page;
    await page.waitForSelector('[data-testid=topbar-status]', { timeout: 30_000 });
  });
  after(async () => {
    await h?.close();
    await lab?.close();
    if (labDir) rmSync(labDir, { recursive: true, force: true });
  });

  it('Apply names the server it loads on, and loads there (not on the server the file came from)', async () => {
    assert.equal(await instanceCount('demo'), 1);
    await page.click('[data-testid=nav-repository]');
    await page.click(`[data-testid="open-config-${SHARED_MODEL}"]`);
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
    await page.click('[data-testid=editor-tab-form]');
    await page.fill('[data-testid=form-instance-count-0]', '2');
    await page.keyboard.press('Enter');
    // The user switches the active server after opening the demo's file.
    await activate(labId);
    await page.click('[data-testid=apply]');
    const title = (await page.textContent('[data-testid=apply-dialog] h3')) ?? '';
    assert.match(title, new RegExp(`${SHARED_MODEL}.*Orin lab.*${lab.url.replace(/\./g, '\\.')}`), title);
    // The folder is the demo server's: the dialog says this server has its own.
    await page.waitForSelector('[data-testid=apply-other-repository]');
    await shotBoth(page, 'actions-01-apply-names-server');
    await page.click('[data-testid=apply-confirm]');
    await page.waitForSelector('[data-testid=apply-dialog]', { state: 'detached', timeout: 30_000 });
    assert.equal(await instanceCount(labId), 2, 'the override went to the server named');
    assert.equal(await instanceCount('demo'), 1, 'the demo server was not touched');
    await page.waitForSelector(`[data-testid=toast]:has-text("Loaded ${SHARED_MODEL} on “Orin lab”")`);
    await page.click('text=Revert');
  });

  it('Unload asks first, naming the server and the model; the unload offers Re-load', async () => {
    const model = labModels[1];
    await page.click('[data-testid=nav-models]');
    await page.click(`[data-testid="unload-${model}"]`);
    const dialog = page.locator('[data-testid=confirm-dialog]');
    const text = (await dialog.textContent()) ?? '';
    assert.ok(text.includes(model) && text.includes('Orin lab') && text.includes(lab.url), text);
    await shotBoth(page, 'actions-02-unload-asks');
    await page.click('[data-testid=confirm-cancel]');
    await dialog.waitFor({ state: 'detached' });
    const state = async () =>
      (await h.services.handlers.repositoryIndex({ connectionId: labId })).models.find((m) => m.name === model)?.state;
    assert.equal(await state(), 'READY', 'Cancel leaves the model loaded');

    await page.click(`[data-testid="unload-${model}"]`);
    await page.click('[data-testid=confirm-ok]');
    await page.waitForSelector(`[data-testid="model-row-${model}"][data-status=unloaded]`, { timeout: 30_000 });
    assert.equal(await state(), 'UNAVAILABLE');
    const toast = page.locator('[data-testid=toast]', { hasText: `Unloaded ${model} from “Orin lab”` });
    await toast.locator('[data-testid=toast-action]').click();
    await page.waitForSelector(`[data-testid="model-row-${model}"][data-status=ready]`, { timeout: 30_000 });
    assert.equal(await state(), 'READY', 'Re-load loaded it again on the same server');
  });

  it('a read-only (production) profile disables load, unload and apply, saying why', async () => {
    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid="server-Orin lab"]');
    // Saved by the services first, then shown checked (the profile list is the truth).
    await page.click('[data-testid=profile-readonly]');
    await page.waitForSelector('[data-testid=profile-readonly]:checked');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=server-picker]')?.textContent?.includes('read-only'),
    );
    assert.equal((await h.services.handlers.listConnections(undefined)).find((p) => p.id === labId)?.readOnly, true);
    await shotBoth(page, 'actions-03-read-only-profile');

    await page.click('[data-testid=nav-models]');
    await page.waitForSelector('[data-testid=read-only-banner]');
    for (const id of [`load-${labModels[0]}`, `unload-${labModels[0]}`]) {
      const b = page.locator(`[data-testid="${id}"]`);
      assert.equal(await b.isDisabled(), true, `${id} is disabled`);
      assert.match((await b.getAttribute('title')) ?? '', /Orin lab.*read-only \(production\)/);
    }
    await shotBoth(page, 'actions-04-read-only-models');
    await page.click('[data-testid=nav-repository]');
    const apply = page.locator('[data-testid=apply]');
    assert.equal(await apply.isDisabled(), true);
    assert.match((await apply.getAttribute('title')) ?? '', /read-only \(production\)/);

    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid=profile-readonly]');
    await page.waitForSelector('[data-testid=profile-readonly]:not(:checked)');
    await page.waitForFunction(
      () => !document.querySelector('[data-testid=server-picker]')?.textContent?.includes('read-only'),
    );
  });

  it('Delete profile asks first, naming the profile', async () => {
    const spare = await h.services.handlers.saveConnection({ name: 'Spare', url: '127.0.0.1:9' });
    await page.waitForSelector('[data-testid=server-Spare]');
    await page.click('[data-testid=server-Spare]');
    await page.click('[data-testid=delete-profile]');
    assert.match((await page.textContent('[data-testid=confirm-dialog]')) ?? '', /Spare.*127\.0\.0\.1:9/s);
    await page.click('[data-testid=confirm-cancel]');
    assert.ok(
      (await h.services.handlers.listConnections(undefined)).some((p) => p.id === spare.id),
      'kept',
    );
    await page.click('[data-testid=delete-profile]');
    await page.click('[data-testid=confirm-ok]');
    await page.waitForSelector('[data-testid=server-Spare]', { state: 'detached' });
    assert.ok(!(await h.services.handlers.listConnections(undefined)).some((p) => p.id === spare.id), 'deleted');
    await page.click('[data-testid="server-Orin lab"]');
  });

  it('a dead server: states unknown, actions off, backoff capped at 10 s and shown, Retry now brings it back', async () => {
    await activate(labId);
    await page.click('[data-testid=nav-models]');
    await page.waitForSelector(`[data-testid="model-row-${labModels[0]}"][data-state=READY]`);
    const port = lab.port;
    await lab.close();
    // The top bar says so within a poll or two...
    await page.waitForSelector('[data-testid=server-picker] >> text=unreachable', { timeout: 30_000 });
    // ...and the table does not keep looking live.
    const badges = await page.$$eval('[data-testid=models-index] [data-testid=model-state]', (els) =>
      els.map((e) => e.textContent?.trim()),
    );
    assert.ok(badges.length >= 4 && !badges.includes('READY'), `no live-looking READY badge: ${badges.join(', ')}`);
    await page.waitForSelector('[data-testid=unreachable-banner]');
    await page.waitForSelector(`[data-testid="model-row-${labModels[0]}"][data-stale]`);
    const load = page.locator(`[data-testid="load-${labModels[0]}"]`);
    assert.equal(await load.isDisabled(), true);
    assert.match((await load.getAttribute('title')) ?? '', /unreachable/);
    // The backoff doubles per failed check (2 s polls: 4, 8, then 10 s) and stops at 10 s.
    await page.waitForSelector('[data-testid=next-retry][data-ms="10000"]', { timeout: 40_000 });
    assert.match((await page.textContent('[data-testid=next-retry]')) ?? '', /Next check in \d+ s/);
    await shotBoth(page, 'actions-05-server-down');

    // Back on the same port: "Retry now" finds it without waiting out the backoff.
    lab = await startLab(port);
    const t0 = Date.now();
    await page.click('[data-testid=retry-now]');
    await page.waitForSelector('[data-testid=unreachable-banner]', { state: 'detached', timeout: 8000 });
    await page.waitForSelector(`[data-testid="model-row-${labModels[0]}"][data-status=ready]:not([data-stale])`);
    assert.ok(Date.now() - t0 < 8000, `back in ${Date.now() - t0} ms`);
    // The log kept both transitions.
    await page.click('[data-testid=log-button]');
    await page.waitForSelector('[data-testid=log-entry]:has-text("“Orin lab”") >> text=is unreachable');
    await page.waitForSelector('[data-testid=log-entry]:has-text("is reachable again")');
    await page.click('[data-testid=log-close]');
    assert.deepEqual(h.pageErrors, []);
  });
});
