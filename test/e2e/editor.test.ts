/**
 * Issue #14 items 10 (config editor) and 13 (ensemble graph) in real Chromium against the embedded
 * demo server and a second embedded server whose repository has a same-named model that fails:
 * force-save where a save is refused, banners that clear, "diff vs server" without server-filled
 * fields, form fields validated as the text is, schema completion, state dots only from the server
 * that serves the folder; the ensemble graph zooms, pans, opens a step's model, and shows every
 * edge label uncovered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { makeTempDir } from '../helpers/tempDir';
import { shotBoth, startHarness, type Harness } from './harness';

let h: Harness;
let page: Page;
let other: { dir: string; cleanup(): void };
let otherServer: EmbeddedServer;

const badge = () => page.textContent('[data-testid=diag-count]');

async function openConfig(model: string): Promise<void> {
  await page.click('[data-testid=nav-repository]');
  await page.click(`[data-testid="open-config-${model}"]`);
  await page.waitForSelector(`[data-testid=editor-path]:has-text("${model}/config.pbtxt")`);
  await page.click('[data-testid=editor-tab-code]');
}

async function typeAtEnd(text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** The completion popup's labels once it offers `expected` (typing may outrun the popup). */
async function completionLabels(expected: string): Promise<string[]> {
  await page.waitForFunction(
    (label) =>
      [...document.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].some(
        (e) => e.textContent === label,
      ),
    expected,
    { timeout: 5000 },
  );
  return page.$$eval('.cm-tooltip-autocomplete .cm-completionLabel', (els) => els.map((e) => e.textContent ?? ''));
}

describe('config editor and ensemble graph (E2E, issue #14 items 10 and 13)', { timeout: 170_000 }, () => {
  before(async () => {
    // A second server whose repository has a model named like the demo's, which fails to load.
    other = makeTempDir('tritonscope-e2e-other-');
    mkdirSync(join(other.dir, 'laneDetect_model/1'), { recursive: true });
    writeFileSync(
      join(other.dir, 'laneDetect_model/config.pbtxt'),
      'name: "laneDetect_model"\nbackend: "onnxruntime"\nmax_batch_size: 1\n',
    );
    otherServer = await startEmbeddedServer({
      modelRepository: other.dir,
      host: '127.0.0.1',
      port: 0,
      controlMode: 'explicit',
      loadModels: '*',
    });
    h = await startHarness();
    page = h.page;
    await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid=server-demo]');
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
  });

  after(async () => {
    await h?.close();
    await otherServer?.close();
    other?.cleanup();
  });

  it('a save refused for errors offers "Save anyway"; the banner clears once the error is fixed', async () => {
    const model = 'laneDetect_trt';
    const file = join(h.repoDir, model, 'config.pbtxt');
    const original = readFileSync(file, 'utf8');
    await openConfig(model);
    const prefix = original.endsWith('\n') ? '' : '\n';
    await typeAtEnd(`${prefix}max_batch_sizee: 4`);
    await page.keyboard.press('Escape'); // close the completion popup, if any
    await page.keyboard.press('Control+s');
    await page.waitForSelector('[data-testid=save-result-kind][data-kind=invalid]');
    assert.match((await page.textContent('[data-testid=save-result]')) ?? '', /Not saved: .*1 error/);
    assert.equal(await page.locator('[data-testid=save-force]').count(), 1, 'the force button is offered');
    assert.equal(readFileSync(file, 'utf8'), original, 'nothing written yet');
    await shotBoth(page, 'forms-04-editor-save-refused-force');

    // Fix the line: the refusal no longer applies, its banner goes.
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('# fixed');
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
    await page.waitForSelector('[data-testid=save-result]', { state: 'detached', timeout: 5000 });

    // Break it again and force the save: written as it is, with a backup.
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('max_batch_sizee: 4');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+s');
    await page.click('[data-testid=save-force]');
    await page.waitForSelector('[data-testid=save-result-kind][data-kind=saved]');
    assert.equal(readFileSync(file, 'utf8'), `${original}${prefix}max_batch_sizee: 4`);
    // Fixed and saved normally: the file is valid again.
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('# fixed');
    await page.waitForSelector('[data-testid=save-result]', { state: 'detached' }); // "Saved" is stale now
    await page.keyboard.press('Control+s');
    await page.waitForSelector('[data-testid=save-result-kind][data-kind=saved]');
    assert.equal(readFileSync(file, 'utf8'), `${original}${prefix}# fixed`);
  });

  it('the form checks fields as the text is: dims "1, 3, 360, x" are INVALID with a clear message', async () => {
    await openConfig('LaneDet_fp16');
    await page.click('[data-testid=editor-tab-form]');
    const dims = '[data-testid=form-input-dims-0]';
    await page.fill(dims, '1, 3, 360, x');
    const err = page.locator('[data-testid=form-input-dims-0-error]');
    await err.waitFor();
    assert.match((await err.textContent()) ?? '', /'x' \(item 4\) is not an integer/);
    assert.equal(await page.getAttribute(dims, 'aria-invalid'), 'true');
    assert.doesNotMatch((await badge()) ?? '', /valid$/, 'the badge does not say valid');
    assert.match((await badge()) ?? '', /1 invalid field/);
    await page.press(dims, 'Enter');
    assert.equal(await page.locator('[data-testid=editor-path]:has-text("●")').count(), 0, 'nothing committed');
    await shotBoth(page, 'forms-05-form-invalid-dims');
    // A dimension of 0 is refused by the same check the text gets.
    await page.fill(dims, '3, 0, 640');
    assert.match((await err.textContent()) ?? '', /dimension must be integer >= 1, or -1/);
    await page.press(dims, 'Escape');
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
  });

  it('completes field names and enum values from the ModelConfig schema', async () => {
    await page.click('[data-testid=editor-tab-code]');
    await typeAtEnd('\ndynamic_b');
    assert.ok((await completionLabels('dynamic_batching')).includes('dynamic_batching'));
    await page.keyboard.press('Escape');
    await typeAtEnd('atching { preferred_batch_size: [ 1 ] }\ninput [ { name: "x" data_type: TYPE_FP');
    const enums = await completionLabels('TYPE_FP16');
    assert.ok(enums.includes('TYPE_FP16') && enums.includes('TYPE_FP32'), enums.join(', '));
    assert.ok(!enums.includes('dynamic_batching'), 'only DataType values after data_type:');
    await shotBoth(page, 'forms-06-completion');
    await page.keyboard.press('Escape');
    await page.click('text=Revert');
  });

  it('"diff vs server" can hide the fields the server filled in', async () => {
    await page.click('[data-testid=editor-tab-diff-server]');
    await page.waitForSelector('[data-testid=diff-server] .cm-merge-a');
    await page.waitForSelector('[data-testid=diff-hidden-count]');
    // The buffer is the file the server loaded: without the fields the server filled in, nothing differs.
    assert.ok(Number(await page.getAttribute('[data-testid=diff-hidden-count]', 'data-count')) >= 3);
    await page.waitForSelector('[data-testid=diff-server] [data-testid=diff-identical]');
    assert.equal(await page.locator('[data-testid=diff-server] .cm-changedLine').count(), 0);
    await shotBoth(page, 'forms-07-diff-vs-server-filled-hidden');
    // All fields: the server's additions (default_model_filename, optimization, …) show as changes.
    await page.uncheck('[data-testid=diff-hide-filled]');
    await page.waitForSelector('[data-testid=diff-server] .cm-changedLine');
    assert.match(
      (await page.textContent('[data-testid=diff-server] .cm-merge-a')) ?? '',
      /default_model_filename|optimization|version_policy/,
    );
    assert.equal(await page.locator('[data-testid=diff-server] [data-testid=diff-identical]').count(), 0);
    await page.check('[data-testid=diff-hide-filled]');
  });

  it('the tree shows model states only from the server that serves the folder', async () => {
    const dotOf = (name: string) => page.locator(`[data-testid="repo-model-${name}"] [data-testid=repo-model-state]`);
    await page.waitForSelector(
      '[data-testid="repo-model-laneDetect_model"] [data-testid=repo-model-state][data-state=READY]',
    );

    // Another server, with a failing model of the same name, becomes the active one.
    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid=add-server]');
    await page.fill('[data-testid=profile-name]', 'Other');
    await page.fill('[data-testid=profile-url]', otherServer.url);
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid=server-Other]');
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
    await page.click('[data-testid=nav-models]');
    await page.waitForSelector('[data-testid="model-row-laneDetect_model"][data-state=UNAVAILABLE]', {
      timeout: 15_000,
    });
    await page.click('[data-testid=nav-repository]');
    await page.waitForSelector('[data-testid=served-by-note]');
    assert.equal(await dotOf('laneDetect_model').count(), 0, "no state from the other server's same-named model");
    await shotBoth(page, 'forms-08-repo-tree-other-server');

    // Its own folder, said to be served by it: its states show.
    await page.fill('[data-testid=repo-open-path]', other.dir);
    await page.press('[data-testid=repo-open-path]', 'Enter');
    await page.waitForSelector('[data-testid=served-by-select]');
    await page.selectOption('[data-testid=served-by-select]', { label: 'Other' });
    await page.waitForSelector(
      '[data-testid="repo-model-laneDetect_model"] [data-testid=repo-model-state][data-state=UNAVAILABLE]',
    );
    // Back to the demo server and its folder.
    await page.selectOption('[data-testid=repo-root-select]', { index: 0 });
    await page.selectOption('[data-testid=server-picker]', 'demo').catch(async () => {
      await page.click('[data-testid=nav-servers]');
      await page.click('[data-testid=server-demo]');
      await page.click('[data-testid=nav-repository]');
    });
    await page.waitForSelector(
      '[data-testid="repo-model-laneDetect_model"] [data-testid=repo-model-state][data-state=READY]',
    );
  });

  it('ensemble graph: labels uncovered and inside the view, zoom and pan, a click on a step opens its model', async () => {
    await page.click('[data-testid=nav-models]');
    await page.click('[data-testid=model-row-laneDetect_pipeline]');
    await page.click('[data-testid=model-tab-ensemble]');
    const viewport = page.locator('[data-testid=ensemble-viewport]');
    await viewport.waitFor();
    await page.waitForTimeout(200);
    type Rect = { text: string | null; x: number; y: number; w: number; h: number };
    const geometry = async () => {
      // Inline arrows only: a named helper in here would be wrapped by the test's transpiler in a
      // function the page does not have.
      const [view, labels, nodes] = await page.evaluate(
        (sels) =>
          sels.map((sel) =>
            [...document.querySelectorAll(sel)].map((e) => {
              const r = e.getBoundingClientRect();
              return { text: e.textContent, x: r.x, y: r.y, w: r.width, h: r.height };
            }),
          ),
        [
          '[data-testid=ensemble-viewport]',
          '[data-testid=ensemble-edge-label] text',
          '[data-testid=ensemble-step] rect, [data-testid=ensemble-tensor] rect',
        ],
      );
      const transform = JSON.parse((await viewport.getAttribute('data-transform')) ?? 'null') as {
        scale: number;
        x: number;
        y: number;
      };
      return { view: view[0] as Rect, labels: labels as Rect[], nodes: nodes as Rect[], transform };
    };
    const g = await geometry();
    assert.deepEqual(g.labels.map((l) => l.text).sort(), ['input', 'input', 'predict_lanes']);
    for (const l of g.labels) {
      assert.ok(
        l.x >= g.view.x && l.y >= g.view.y && l.x + l.w <= g.view.x + g.view.w && l.y + l.h <= g.view.y + g.view.h,
        `label '${l.text}' inside the view`,
      );
      for (const n of g.nodes)
        assert.ok(
          l.x + l.w <= n.x || n.x + n.w <= l.x || l.y + l.h <= n.y || n.y + n.h <= l.y,
          `label '${l.text}' not covered by a node`,
        );
    }
    await shotBoth(page, 'forms-09-ensemble-graph');

    await page.click('[data-testid=ensemble-zoom-in]');
    const zoomed = (await geometry()).transform;
    assert.ok(zoomed.scale > g.transform.scale * 1.2, 'zoomed in');
    const vb = (await viewport.boundingBox())!;
    await page.mouse.move(vb.x + 10, vb.y + vb.height - 10);
    await page.mouse.down();
    await page.mouse.move(vb.x + 90, vb.y + vb.height - 30, { steps: 5 });
    await page.mouse.up();
    const panned = (await geometry()).transform;
    assert.ok(Math.abs(panned.x - zoomed.x - 80) < 2 && Math.abs(panned.y - zoomed.y + 20) < 2, 'panned by the drag');
    await page.mouse.move(vb.x + vb.width / 2, vb.y + vb.height / 2);
    await page.mouse.wheel(0, 300);
    assert.ok((await geometry()).transform.scale < panned.scale, 'the wheel zooms out');
    await page.click('[data-testid=ensemble-fit]');
    assert.equal((await geometry()).transform.scale, g.transform.scale);

    await page.click('[data-testid=ensemble-step][data-model=laneDetect_model]');
    await page.waitForSelector('[data-testid=model-detail] .panel-head:has-text("laneDetect_model")');
    assert.equal(await page.locator('[data-testid=model-tab-ensemble]').count(), 0, 'the step model, not the ensemble');

    // In the config editor the pipeline's steps open their config.pbtxt.
    await openConfig('laneDetect_pipeline');
    await page.click('[data-testid=editor-tab-graph]');
    await page.click('[data-testid=ensemble-step][data-model=laneDetect_preprocess]');
    await page.waitForSelector('[data-testid=editor-path]:has-text("laneDetect_preprocess/config.pbtxt")');
    assert.deepEqual(h.pageErrors, []);
  });
});
