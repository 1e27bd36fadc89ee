/**
 * E2E of what a lane-model engineer does after the acceptance walk: a server that is down shows
 * its error once, in place (no stale model detail); the demo scenes open as one sequence with their
 * labels and the sequence TuSimple accuracy of the demo model is high; the ensemble graph fits its
 * pane; "Diff vs server" follows an "Apply to server"; a TuSimple-layout folder opens with its
 * labels file and without its masks, and the labels of the previous source go.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, pickModel, shot, shotBoth, startHarness, type Harness } from './harness';
import { sharedPath, skipUnlessShared } from '../helpers/shared';
import { parseTusimpleJson } from '../../shared/lanes';

const SCENES = join(REPO_ROOT, 'assets/demo/scenes');

let h: Harness;
let page: Page;

describe('Tritonscope review flows (E2E)', { timeout: 240_000 }, () => {
  before(async () => {
    h = await startHarness();
    page = h.page;
    await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
    await page.click('[data-testid=server-demo]');
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
  });

  after(async () => {
    await h?.close();
  });

  it('explains "live but not ready" by the model that failed to load', async () => {
    await page.click('[data-testid=nav-models]');
    await page.waitForSelector('[data-testid^=model-row-][data-state=UNAVAILABLE]', { timeout: 15_000 });
    const failed = await page.getAttribute('[data-testid^=model-row-][data-state=UNAVAILABLE]', 'data-testid');
    await page.click('[data-testid=nav-servers]');
    const hint = await page.waitForSelector('[data-testid=not-ready-hint]', { timeout: 15_000 });
    assert.ok(
      (await hint.textContent())?.includes(failed!.replace('model-row-', '')),
      'the hint names the UNAVAILABLE model',
    );
  });

  it('a server that is down: one error in place, the code not repeated, and no stale model detail', async () => {
    await page.click('[data-testid=add-server]');
    await page.fill('[data-testid=profile-name]', 'Down');
    await page.fill('[data-testid=profile-url]', '127.0.0.1:1');
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid=server-Down]');
    await page.click('[data-testid=connect]');
    const err = await page.waitForSelector('[data-testid=server-error]', { timeout: 30_000 });
    const text = (await err.textContent()) ?? '';
    assert.match(text, /UNAVAILABLE/);
    assert.doesNotMatch(text, /UNAVAILABLE: UNAVAILABLE/, `the code is said once: ${text}`);
    assert.equal(
      await page.locator('[data-testid=connect-error]').count(),
      0,
      'not also shown as a second "Connection failed" box',
    );
    await shot(page, 'review-01-server-down');

    // The Models view of the down server: it says the server is unreachable (with "Retry now"),
    // and shows no detail of a model from the demo server.
    await page.click('[data-testid=nav-models]');
    await page.waitForSelector('[data-testid=unreachable-banner] [data-testid=retry-now]', { timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=model-detail]').count(), 0);

    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid=server-demo]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]');
  });

  it('the ensemble graph fits the model pane (no node cut off)', async () => {
    await page.click('[data-testid=nav-models]');
    const ensemble = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models.find(
      (m) => m.name === 'laneDetect_pipeline',
    );
    assert.ok(ensemble, 'the demo repository has the laneDetect_pipeline ensemble');
    await page.click('[data-testid=model-row-laneDetect_pipeline]');
    await page.click('[data-testid=model-tab-ensemble]');
    const graph = page.locator('[data-testid=ensemble-graph]');
    await graph.waitFor();
    const fits = await graph.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    assert.ok(fits, 'the graph is not wider than its pane at 1440 px');
    assert.equal(await page.locator('[data-testid=ensemble-step]').count(), 2);
    const io = await page.locator('[data-testid=ensemble-tensor]').first().textContent();
    assert.match(io ?? '', /UINT8 \[-1, -1, 3\]/, 'the ensemble input shows its type and dims');
  });

  it('"Diff vs server" shows the config the server runs after "Apply to server" (override)', async () => {
    await page.click('[data-testid=nav-repository]');
    await page.click('[data-testid="open-config-LaneDet_fp16"]');
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
    await page.click('[data-testid=editor-tab-form]');
    await page.fill('[data-testid=form-instance-count-0]', '3');
    await page.keyboard.press('Enter');
    await page.click('[data-testid=editor-tab-diff-server]');
    const serverSide = () => page.locator('[data-testid=diff-server] .cm-merge-a').textContent();
    await page.waitForSelector('[data-testid=diff-server] .cm-merge-a');
    await page.waitForFunction(() =>
      /count: 1/.test(document.querySelector('[data-testid=diff-server] .cm-merge-a')?.textContent ?? ''),
    );
    await page.click('[data-testid=apply]');
    await page.click('[data-testid=apply-confirm]');
    await page.waitForSelector('[data-testid=apply-dialog]', { state: 'detached', timeout: 30_000 });
    await page.waitForFunction(
      () => /count: 3/.test(document.querySelector('[data-testid=diff-server] .cm-merge-a')?.textContent ?? ''),
      null,
      { timeout: 15_000 },
    );
    assert.match((await serverSide()) ?? '', /count: 3/);
    await shot(page, 'review-02-diff-after-apply');
    // Leave the server as the file says (other tests in this file do not depend on it, but be tidy).
    await page.click('text=Revert');
  });

  it('opens all demo scenes with their labels: per-frame and sequence TuSimple accuracy are high', async () => {
    await page.click('[data-testid=nav-inspector]');
    await page.click('[data-testid=demo-open-all-scenes]');
    await page.waitForSelector('[data-testid=gt-loaded]:has-text("scenes/labels.json")');
    await page.waitForSelector('[data-testid=frame-list] li:nth-child(8)', { timeout: 15_000 });
    const n = await page.locator('[data-testid=frame-list] li').count();
    assert.ok(n >= 8, `the scenes open as one sequence (${n} frames)`);
    await page.waitForSelector('[data-testid=accuracy-a]', { timeout: 30_000 });
    // Step through every scene (Infer on frame change), then read the sequence score.
    await page.locator('[data-testid=stage-a]').click({ position: { x: 5, y: 5 } });
    for (let i = 1; i < n; i++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`[data-testid=frame-index][data-index="${i}"]`);
      await page.waitForSelector(`[data-testid=frame-list] li:nth-child(${i + 1}) .dot.ok`, { timeout: 30_000 });
    }
    await page.waitForSelector(`[data-testid=accuracy-sequence][data-frames="${n}"]`, { timeout: 30_000 });
    const seq = Number(await page.getAttribute('[data-testid=accuracy-sequence]', 'data-accuracy'));
    // scripts/demo/evaluate-cli.ts measures 0.92 for the demo model on these scenes.
    assert.ok(seq >= 0.88, `sequence accuracy ${seq}`);
    const last = Number(await page.getAttribute('[data-testid=accuracy-a]', 'data-accuracy'));
    assert.ok(last >= 0.7, `last frame accuracy ${last}`);
    await shot(page, 'review-03-scenes-sequence');

    // A demo video picks up its own labels (not the scenes' ones).
    await page.click('[data-testid="demo-video/road.webm"]');
    await page.waitForSelector('[data-testid=gt-loaded]:has-text("video/labels.json")', { timeout: 15_000 });
    await page.waitForSelector('[data-testid=inspector-stage][data-source-kind=video] [data-testid=stage-a]', {
      timeout: 15_000,
    });
    await page.waitForSelector('[data-testid=accuracy-a]', { timeout: 30_000 });
    assert.deepEqual(h.pageErrors, []);
  });
  it('opens a TuSimple folder: masks skipped, the labels file beside the frames loaded, stale labels dropped', async () => {
    await page.click('[data-testid=nav-inspector]');
    await pickModel(page, 'model-select-a', 'laneDetect_model');
    // Labels of another source are on screen first.
    await page.click('[data-testid=demo-open-all-scenes]');
    await page.waitForSelector('[data-testid=gt-loaded]:has-text("scenes/labels.json")');
    // A folder laid out as TuSimple's lanenet example: frames, *_instance.png masks, derived labels.
    const dir = mkdtempSync(join(tmpdir(), 'tritonscope-tusimple-'));
    try {
      const labels = parseTusimpleJson(readFileSync(join(SCENES, 'labels.json'), 'utf8'));
      const lines: string[] = [];
      for (const [i, scene] of ['scene_01.jpg', 'scene_02.jpg'].entries()) {
        const name = `000${i}`;
        cpSync(join(SCENES, scene), join(dir, `${name}.jpg`));
        cpSync(join(SCENES, scene), join(dir, `${name}_instance.png`));
        const label = labels.find((l) => l.raw_file.endsWith(scene))!;
        lines.push(JSON.stringify({ ...label, raw_file: `tusimple/${name}.jpg`, instance_values: [20, 70] }));
      }
      writeFileSync(join(dir, 'labels_derived.json'), lines.join('\n') + '\n');
      await page.setInputFiles('[data-testid=folder-input]', dir);
      await page.waitForSelector('[data-testid=gt-loaded]:has-text("labels_derived.json")', { timeout: 15_000 });
      const names = await page.$$eval('[data-testid=frame-list] li .mono.grow', (els) =>
        els.map((e) => e.textContent ?? ''),
      );
      assert.deepEqual(names, ['0000.jpg', '0001.jpg'], 'the masks are not frames');
      assert.match((await page.textContent('[data-testid=gt-loaded]')) ?? '', /2 labelled frames/);
      await page.waitForSelector('[data-testid=inspector-stage][data-gt-file="tusimple/0000.jpg"]');
      await page.waitForSelector('[data-testid=accuracy-a]', { timeout: 30_000 });
      await shotBoth(page, 'inspector-05-tusimple-folder');

      // Another source without labels of its own: the labels chip goes (no stale labels).
      await page.setInputFiles('[data-testid=file-input]', join(SCENES, 'scene_03.jpg'));
      await page.waitForSelector('[data-testid=frame-list] li:has-text("scene_03.jpg")');
      await page.waitForSelector('[data-testid=gt-loaded]', { state: 'detached' });
      assert.equal(await page.getAttribute('[data-testid=inspector-stage]', 'data-gt-file'), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'opens the real TuSimple example folder of ../shared with its derived labels',
    { skip: skipUnlessShared('lanes/real/tusimple') },
    async () => {
      await page.click('[data-testid=nav-inspector]');
      await page.setInputFiles('[data-testid=folder-input]', sharedPath('lanes/real/tusimple'));
      await page.waitForSelector('[data-testid=gt-loaded]:has-text("labels_derived.json: 6 labelled frames")', {
        timeout: 15_000,
      });
      assert.equal(await page.locator('[data-testid=frame-list] li').count(), 6);
      assert.equal(await page.locator('[data-testid=frame-list] li:has-text("_instance")').count(), 0);
      await page.waitForSelector('[data-testid=inspector-stage][data-gt-file="tusimple/0000.png"]');
    },
  );

  it('every view at 1440x900 and 1024x700: nothing clipped, a usable seek bar, the inference panel reachable', async () => {
    const views = ['servers', 'models', 'repository', 'metrics', 'inspector'] as const;
    await page.click('[data-testid=nav-inspector]');
    await page.click('[data-testid=demo-open-all-scenes]');
    await page.waitForSelector('[data-testid=gt-loaded]:has-text("scenes/labels.json")');
    await page.waitForSelector('[data-testid=accuracy-a]', { timeout: 30_000 });
    await page.click('[data-testid=nav-repository]');
    await page.click('[data-testid="open-config-laneDetect_model"]');
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
    await page.evaluate('globalThis.__name ??= (f) => f'); // tsx names the functions in clippedControls
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ]) {
      await page.setViewportSize({ width, height });
      for (const view of views) {
        await page.click(`[data-testid=nav-${view}]`);
        if (view === 'models') await page.click('[data-testid=model-row-laneDetect_model]');
        await page.waitForTimeout(150); // layout and charts follow the resize
        const clipped = await page.evaluate(clippedControls);
        assert.deepEqual(clipped, [], `${view} at ${width}x${height}: controls clipped`);
        // The layout artifacts (as shotBoth names them), taken here rather than in a second pass
        // that would resize and re-lay out every view again.
        await shot(page, `layout-${view}-${width}`);
      }
      // The inspector: the seek bar keeps a usable width, the labels' clear button stays, and the
      // accuracy, latency and exports are reachable in the side panel (it scrolls).
      const seek = (await page.locator('[data-testid=seek]').boundingBox())!;
      assert.ok(seek.width >= 200, `seek bar ${seek.width} px wide at ${width}`);
      const clear = (await page.locator('[data-testid=gt-loaded] button').boundingBox())!;
      assert.ok(clear && clear.x + clear.width <= width - 250, `clear-labels button inside its panel at ${width}`);
      for (const id of ['accuracy-a', 'latency', 'export-csv']) {
        const el = page.locator(`[data-testid=${id}]`);
        await el.scrollIntoViewIfNeeded();
        const box = (await el.boundingBox())!;
        assert.ok(
          box.x >= 0 && box.x + box.width <= width && box.y >= 0 && box.y + box.height <= height,
          `${id} reachable at ${width}x${height}: ${JSON.stringify(box)}`,
        );
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(h.pageErrors, []);
  });
});

/**
 * Runs in the page: visible controls and badges whose box is cut, by the window or by an ancestor
 * that hides overflow, that stick out of their card, or whose own text overflows them. A scrolling ancestor may hide them
 * vertically (they scroll into view), never horizontally.
 */
function clippedControls(): string[] {
  const out: string[] = [];
  const name = (e: Element) =>
    `${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[${e.getAttribute('data-testid')}]` : ''} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
  for (const e of document.querySelectorAll<HTMLElement>(
    'main button, main .badge, main .chip, main select, main input, header button, header select',
  )) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden') continue;
    if (r.left < -0.5 || r.right > innerWidth + 0.5) out.push(`${name(e)} outside the window (${r.left}-${r.right})`);
    if ((e.tagName === 'BUTTON' || e.classList.contains('badge')) && e.scrollWidth > e.clientWidth + 1)
      out.push(`${name(e)} text overflows (${e.scrollWidth} > ${e.clientWidth})`);
    const card = e.parentElement?.closest('.card');
    const cr = card?.getBoundingClientRect();
    if (cr && (r.left < cr.left - 1 || r.right > cr.right + 1))
      out.push(`${name(e)} sticks out of its card (${r.left}-${r.right} in ${cr.left}-${cr.right})`);
    // Horizontally every clipping ancestor counts; vertically only those inside the nearest one that
    // scrolls (what that one hides scrolls into view).
    let scrolledY = false;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
      const ar = a.getBoundingClientRect();
      if (r.left < ar.left - 1 || r.right > ar.right + 1) {
        out.push(`${name(e)} cut by ${a.className || a.tagName} (${r.left}-${r.right} in ${ar.left}-${ar.right})`);
        break;
      }
      if (cs.overflowY === 'auto' || cs.overflowY === 'scroll') scrolledY = true;
      else if (
        !scrolledY &&
        (r.top < ar.top - 1 || r.bottom > ar.bottom + 1) &&
        r.top < ar.bottom &&
        r.bottom > ar.top
      ) {
        out.push(`${name(e)} cut vertically by ${a.className || a.tagName}`);
        break;
      }
    }
  }
  return out;
}
