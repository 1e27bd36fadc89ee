/**
 * Acceptance E2E in browser mode: Debian chromium (playwright-core) -> built renderer ->
 * WebSocket bridge -> services -> embedded Triton-protocol server on a temp copy of the demo
 * repository. The steps run in order on one page, as a user would: connect, models with states,
 * edit config.pbtxt (diagnostic at the right line, then a safe save with backup), inference on a
 * real TuSimple frame with a pixel check of the drawn lanes, the threshold slider re-decoding
 * without a new request, and the demo video playing. Screenshots (E2E_SHOTS=1): test-artifacts/e2e/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  REPO_ROOT,
  SHARED,
  SHOTS,
  pickModel,
  pickedModel,
  shot,
  startHarness,
  type Backend,
  type Harness,
} from './harness';
import { hasShared } from '../helpers/shared';

// Real TuSimple frames where ../shared has them; otherwise the demo's generated scenes, which come
// with TuSimple labels of their own (same 1280 x 720 size, same label format).
const REAL_FRAMES = hasShared('lanes/real/tusimple');
const FRAME_DIR = REAL_FRAMES ? join(SHARED, 'lanes/real/tusimple') : join(REPO_ROOT, 'assets/demo/scenes');
const FRAME_NAMES = REAL_FRAMES
  ? ['0000.png', '0001.png', '0002.png']
  : ['scene_01.jpg', 'scene_02.jpg', 'scene_03.jpg'];
const FRAME_TYPE = REAL_FRAMES ? 'image/png' : 'image/jpeg';
const TUSIMPLE_FRAME = join(FRAME_DIR, FRAME_NAMES[0]);
const TUSIMPLE_LABELS = join(FRAME_DIR, REAL_FRAMES ? 'labels_derived.json' : 'labels.json');
if (!REAL_FRAMES) console.log('# note: ../shared/lanes/real/tusimple not present: E2E uses the demo scenes instead');

let h: Harness;
let page: Page;
/** Infer calls the page and its frame worker made over the bridge (as the bridge hands them to the services). */
let inferCalls = 0;
let laneModel = '';

function countInferCalls(backend: Backend): void {
  backend.onApiCall((method) => {
    if (method === 'infer') inferCalls++;
  });
}

/** Inferences the embedded server counted (one model, or all). */
async function serverInferenceCount(model?: string): Promise<number> {
  const r = await h.services.handlers.modelStatistics(
    model ? { connectionId: 'demo', model } : { connectionId: 'demo' },
  );
  return r.models.reduce((a, m) => a + Number(m.inferenceCount), 0);
}

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

describe('Tritonscope in browser mode (E2E)', { timeout: 170_000 }, () => {
  before(async () => {
    // The count starts before the page opens, so every call the page makes is in it.
    h = await startHarness({ beforeOpen: (_page, backend) => countInferCalls(backend) });
    page = h.page;
    await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
  });

  after(async () => {
    await h?.close();
  });

  it('connects to the embedded demo server and shows live/ready status and metadata', async () => {
    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid=server-demo]');
    await page.click('[data-testid=connect]');
    // Connected and live. (Not "ready": the demo repository deliberately holds a model that cannot
    // load, and a Triton server with an unavailable model reports not-ready.)
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=server-live]:has-text("yes")');
    await page.waitForSelector('[data-testid=server-metadata]');
    const meta = await page.textContent('[data-testid=server-metadata]');
    assert.match(meta ?? '', /triton/i);
    await shot(page, '01-servers');

    // A saved profile of our own (the same server by address), connected, then back to the demo.
    const url = (await h.services.handlers.demoStatus(undefined)).url!;
    await page.click('[data-testid=add-server]');
    await page.fill('[data-testid=profile-name]', 'Bench Orin');
    await page.fill('[data-testid=profile-url]', url);
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid="server-Bench Orin"]');
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
    assert.ok(
      (await h.services.handlers.listConnections(undefined)).some((p) => p.name === 'Bench Orin' && p.url === url),
      'the profile was saved by the services',
    );
    await page.click('[data-testid=server-demo]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]');
  });

  it('lists the repository models with their states, the UNAVAILABLE one with its reason', async () => {
    const truth = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models;
    const unavailable = truth.filter((m) => m.state === 'UNAVAILABLE');
    assert.ok(
      truth.some((m) => m.state === 'READY'),
      'the demo repository has READY models',
    );
    assert.ok(unavailable.length > 0, 'the demo repository has an UNAVAILABLE model');

    await page.click('[data-testid=nav-models]');
    for (const m of truth)
      await page.waitForSelector(`[data-testid="model-row-${m.name}"][data-state="${m.state}"]`, { timeout: 15_000 });
    for (const m of unavailable) {
      const reason = await page.textContent(`[data-testid="model-row-${m.name}"] [data-testid=model-reason]`);
      assert.ok(m.reason.length > 0);
      assert.equal(reason?.trim(), m.reason.trim());
    }
    await page.waitForSelector('[data-testid=unavailable-summary]');
    // The failing model's detail shows the reason prominently too.
    await page.click(`[data-testid="model-row-${unavailable[0].name}"]`);
    await page.waitForSelector('[data-testid=model-failure]');
    await shot(page, '02-models');
  });

  it('edits config.pbtxt: a deliberate error is reported at its line, then fixed and saved with a backup', async () => {
    const listing = await h.services.handlers.listRepositoryModels({
      rootId: (await h.services.handlers.demoStatus(undefined)).rootId!,
    });
    const index = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models;
    const target = listing.models.find(
      (m) => m.configPath && index.some((i) => i.name === m.name && i.state === 'READY'),
    )!;
    assert.ok(target, 'a READY model with a config.pbtxt');
    const file = join(h.repoDir, target.configPath!);
    const original = readFileSync(file, 'utf8');

    await page.click('[data-testid=nav-repository]');
    await page.click(`[data-testid="open-config-${target.name}"]`);
    await page.waitForSelector('[data-testid=editor-path]');
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');

    // Type an unknown field on a new last line.
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    const prefix = original.endsWith('\n') ? '' : '\n';
    await page.keyboard.type(`${prefix}max_batch_sizee: 4`);
    const expectedLine = (original + prefix).split('\n').length;
    const diag = page.locator('[data-testid=diagnostic].error').first();
    await diag.waitFor({ timeout: 10_000 });
    assert.equal(await diag.getAttribute('data-line'), String(expectedLine));
    assert.equal(await diag.getAttribute('data-column'), '1');
    assert.match((await diag.textContent()) ?? '', /max_batch_sizee/);
    // The squiggle is in the editor, on that line.
    const squiggleLine = await page.evaluate(() => {
      const mark = document.querySelector('.cm-lintRange-error');
      const line = mark?.closest('.cm-line');
      return line ? [...document.querySelectorAll('.cm-content .cm-line')].indexOf(line) : -1;
    });
    assert.ok(squiggleLine >= 0, 'an error underline is drawn');
    await shot(page, '03-editor-error');

    // Fix it: replace the bad line with a harmless comment, then save with Ctrl+S.
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('# checked by the e2e test');
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
    await page.keyboard.press('Control+s');
    const result = page.locator('[data-testid=save-result]');
    await result.waitFor();
    assert.match((await result.textContent()) ?? '', /Saved/);
    const onDisk = readFileSync(file, 'utf8');
    assert.equal(onDisk, original + prefix + '# checked by the e2e test');
    // The previous content was backed up next to the file.
    const modelDir = join(h.repoDir, target.name);
    const backups = readdirSync(modelDir).filter((n) => n !== 'config.pbtxt' && n.startsWith('config.pbtxt'));
    const backupText = (await result.textContent())!.match(/backed up to (\S+?)\.?$/)?.[1];
    assert.ok(
      backups.length > 0 || (backupText && existsSync(join(h.repoDir, backupText))),
      `a backup exists (dir: ${readdirSync(modelDir).join(', ')})`,
    );
    const backupPath = backupText ? join(h.repoDir, backupText) : join(modelDir, backups[0]);
    assert.equal(readFileSync(backupPath, 'utf8'), original);
    await shot(page, '04-editor-saved');

    // Someone else changes the file: the next save is refused with a conflict, nothing is lost.
    const theirs = onDisk + '\n# changed outside the app';
    writeFileSync(file, theirs);
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# mine');
    await page.keyboard.press('Control+s');
    await page.waitForSelector('[data-testid=save-result]:has-text("changed on disk")');
    assert.equal(readFileSync(file, 'utf8'), theirs, 'the other change is kept');
    await shot(page, '04b-editor-conflict');
    await page.click('[data-testid=reload-from-disk]');
    await page.waitForFunction(() =>
      document.querySelector('.cm-content')?.textContent?.includes('changed outside the app'),
    );
    await page.waitForSelector('[data-testid=save]:disabled');
  });

  it('form edit + apply to the server as a config override: the server runs it, the file stays as it was', async () => {
    const model = 'LaneDet_fp16';
    const file = join(h.repoDir, model, 'config.pbtxt');
    const disk = readFileSync(file, 'utf8');
    await page.click(`[data-testid="open-config-${model}"]`);
    await page.waitForSelector(`[data-testid=editor-path]:has-text("${model}/config.pbtxt")`);
    await page.click('[data-testid=editor-tab-form]');
    await page.fill('[data-testid=form-instance-count-0]', '2');
    await page.press('[data-testid=form-instance-count-0]', 'Enter');
    await page.click('[data-testid=editor-tab-diff-disk]');
    await page.waitForSelector('[data-testid=diff-disk] .cm-changedLine');
    await shot(page, '05-diff-vs-disk');
    await page.click('[data-testid=apply]');
    await page.waitForSelector('[data-testid=apply-dialog]');
    // Unsaved edits: the override is preselected, and the dialog says the file is not changed.
    assert.match((await page.textContent('[data-testid=apply-dialog]')) ?? '', /file on disk is not changed/);
    await shot(page, '06-apply-dialog');
    await page.click('[data-testid=apply-confirm]');
    await page.waitForSelector('[data-testid=apply-dialog]', { state: 'detached', timeout: 30_000 });
    const loaded = (await h.services.handlers.modelConfig({ connectionId: 'demo', model })).config as {
      instance_group: { count: number }[];
    };
    assert.equal(loaded.instance_group[0].count, 2, 'the server loaded the override');
    assert.equal(readFileSync(file, 'utf8'), disk, 'the file on disk is unchanged');
    // Diff vs server: the buffer now matches what the server runs.
    await page.click('[data-testid=editor-tab-diff-server]');
    await page.waitForSelector('[data-testid=diff-server]', { timeout: 10_000 });
    await shot(page, '07-diff-vs-server');
    // Drop the edit, then load the file's own config again (no override).
    await page.click('text=Revert');
    await page.click('[data-testid=apply]');
    await page.click('text=Repository file');
    assert.equal((await page.textContent('[data-testid=apply-confirm]'))?.trim(), 'Load from file');
    // Triton keeps an override while the files are unchanged: the dialog says the model is unloaded first.
    await page.waitForSelector('[data-testid=apply-unload-first]');
    await page.click('[data-testid=apply-confirm]');
    await page.waitForSelector('[data-testid=apply-dialog]', { state: 'detached', timeout: 30_000 });
    const reloaded = (await h.services.handlers.modelConfig({ connectionId: 'demo', model })).config as {
      instance_group: { count: number }[];
    };
    assert.equal(reloaded.instance_group[0].count, 1);
  });

  it('runs inference on a labelled road frame and draws the lanes on the canvas', async () => {
    const serverBefore = await serverInferenceCount();
    await page.click('[data-testid=nav-inspector]');
    await page.setInputFiles('[data-testid=file-input]', [TUSIMPLE_FRAME, TUSIMPLE_LABELS]);
    await page.waitForSelector('[data-testid=gt-loaded]');
    // A lane model is chosen automatically from the server's READY models.
    await page.waitForFunction(
      () => document.querySelector('[data-testid=model-select-a]')?.getAttribute('data-value'),
      null,
      { timeout: 15_000 },
    );
    laneModel = await pickedModel(page, 'model-select-a');
    // Low threshold first so the frame certainly shows lanes.
    await setSlider(page, 'opt-conf', 0.05).catch(() => undefined);
    await page.waitForSelector('[data-testid=lane-count]', { timeout: 30_000 });
    await setSlider(page, 'opt-conf', 0.05);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lane-count')) > 0,
      null,
      { timeout: 10_000 },
    );

    await page.evaluate('globalThis.__name ??= (f) => f'); // tsx names functions evaluated in the page
    const { lanes, transform, colors } = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=stage-a]')!;
      // Each lane's colour as the stage drew it (TP / FP colours here: the frame has ground truth).
      const K = (globalThis as unknown as { Konva: { stages: import('konva').default.Stage[] } }).Konva;
      const st = K.stages.find((s) => s.container().closest('[data-testid=stage-a]'))!;
      return {
        lanes: JSON.parse(el.getAttribute('data-lanes')!)[0] as { score: number; points: [number, number][] }[],
        transform: JSON.parse(el.getAttribute('data-transform')!) as { scale: number; x: number; y: number },
        colors: st.find('.lane').map((n) => n.getAttr('stroke') as string),
      };
    });
    assert.equal(colors.length, lanes.length, 'one line per lane');
    assert.ok(lanes.length > 0);
    // Sample the lane layer (last Konva canvas) along each decoded lane inside the frame (lanes are
    // clipped to it): the lane's colour is there.
    const [frameW, frameH] = ((await page.textContent('[data-testid=frame-size]')) ?? '').split('×').map(Number);
    const samples = await page.evaluate(
      ({ lanes, t, frameW, frameH }) => {
        const canvases = document.querySelectorAll('[data-testid=stage-a] canvas');
        const layer = canvases[canvases.length - 1] as HTMLCanvasElement;
        const ctx = layer.getContext('2d')!;
        const ratio = layer.width / layer.clientWidth;
        return lanes.map((lane) => {
          const pts = lane.points
            .filter(([x, y]) => x >= 2 && x < frameW - 2 && y >= 2 && y < frameH - 2)
            .filter((_, i) => i % 3 === 1);
          return pts.map(([x, y]) => {
            const px = Math.round((x * t.scale + t.x) * ratio);
            const py = Math.round((y * t.scale + t.y) * ratio);
            const d = ctx.getImageData(px, py, 1, 1).data;
            return [d[0], d[1], d[2], d[3]];
          });
        });
      },
      { lanes, t: transform, frameW, frameH },
    );
    samples.forEach((pts, i) => {
      const [r, g, b] = hexToRgb(colors[i]);
      const hits = pts.filter(
        ([pr, pg, pb, pa]) => pa > 200 && Math.abs(pr - r) + Math.abs(pg - g) + Math.abs(pb - b) < 60,
      ).length;
      assert.ok(
        pts.length > 0 && hits / pts.length >= 0.8,
        `lane ${i + 1}: ${hits}/${pts.length} sampled points have its colour`,
      );
    });
    // The request really went over the bridge to the server (the counters used below are live).
    assert.ok(inferCalls >= 1, 'an infer call went over the bridge');
    assert.ok((await serverInferenceCount()) > serverBefore, 'the server counted the inference');
    // Ground truth for this frame was matched: per-frame TuSimple accuracy is shown.
    await page.waitForSelector('[data-testid=accuracy-a]');
    await shot(page, '08-inspector-lanes');
  });

  it('hovering a lane lists its points; exports give the annotated PNG, the lanes JSON and the metrics CSV', async () => {
    const { lanes, t } = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=stage-a]')!;
      return {
        lanes: JSON.parse(el.getAttribute('data-lanes')!)[0] as { score: number; points: [number, number][] }[],
        t: JSON.parse(el.getAttribute('data-transform')!) as { scale: number; x: number; y: number },
      };
    });
    const box = (await page.locator('[data-testid=stage-a]').boundingBox())!;
    const [x, y] = lanes[0].points[Math.floor(lanes[0].points.length * 0.7)];
    await page.mouse.move(box.x + x * t.scale + t.x, box.y + y * t.scale + t.y);
    const hover = page.locator('[data-testid=lane-hover]');
    await hover.waitFor({ timeout: 5000 });
    assert.match((await hover.textContent()) ?? '', new RegExp(`${lanes[0].points.length} pts`));
    await page.mouse.move(box.x + 5, box.y + 5);

    // Wheel zooms about the pointer; '0' fits the frame again.
    const scale0 = t.scale;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(
      (s0) =>
        JSON.parse(document.querySelector('[data-testid=stage-a]')!.getAttribute('data-transform')!).scale > s0 * 1.3,
      scale0,
    );
    await page.keyboard.press('0');
    await page.waitForFunction(
      (s0) =>
        Math.abs(
          JSON.parse(document.querySelector('[data-testid=stage-a]')!.getAttribute('data-transform')!).scale - s0,
        ) < 1e-6,
      scale0,
    );
    // Pre-NMS proposals layer.
    await page.keyboard.press('p');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=layer-proposals]') as HTMLInputElement).checked,
    );
    await shot(page, '08b-proposals');
    await page.keyboard.press('p');

    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    const pngPath = join(h.tmp, 'frame.png');
    await png.saveAs(pngPath);
    const { default: sharp } = await import('sharp');
    const meta = await sharp(pngPath).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1280, 720], 'the PNG has the frame resolution');
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
    const body = JSON.parse(readFileSync(await json.path(), 'utf8')) as {
      a: { lanes: unknown[]; model: string; tusimple?: { accuracy: number } };
      b?: unknown;
    };
    assert.equal(body.a.lanes.length, lanes.length);
    assert.equal(body.a.model, laneModel);
    assert.equal(typeof body.a.tusimple?.accuracy, 'number');
    assert.equal(body.b, undefined, 'A/B off: model A only');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    const rows = readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n');
    const header = rows[0].split(',');
    assert.deepEqual(header.slice(0, 4), ['file', 'frame', 'time_s', 'slot']);
    assert.equal(rows.length, 2, 'one cached result, one row');
    assert.equal(rows[1].split(',')[header.indexOf('lanes')], String(lanes.length));
  });

  it('moving the threshold slider changes the lane count without a new inference request', async () => {
    await setSlider(page, 'opt-conf', 0.2);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lane-count')) > 0,
    );
    const sentBefore = inferCalls;
    const serverBefore = await serverInferenceCount(laneModel);
    const counterBefore = Number(await page.getAttribute('[data-testid=requests-sent]', 'data-count'));
    const laneCount = async () => Number(await page.getAttribute('[data-testid=stage-a]', 'data-lane-count'));
    const scores = JSON.parse((await page.getAttribute('[data-testid=stage-a]', 'data-lanes'))!)[0].map(
      (l: { score: number }) => l.score,
    ) as number[];
    const before = scores.length;
    // A threshold at or above the best score keeps nothing (the test is strict: score > conf).
    const above = Math.min(1, Math.ceil(Math.max(...scores) * 100) / 100);
    await setSlider(page, 'opt-conf', above);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lane-count')) !== n,
      before,
      { timeout: 5000 },
    );
    assert.ok(
      (await laneCount()) < before,
      `fewer lanes at conf ${above} (${await laneCount()}) than at 0.2 (${before})`,
    );
    assert.equal(await page.textContent('[data-testid=opt-conf-value]'), above.toFixed(2));
    await shot(page, '09-threshold-high');
    // Back down: the same lanes again. Then the top-k slider (also a pure re-decode).
    await setSlider(page, 'opt-conf', 0.2);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lane-count')) === n,
      before,
      { timeout: 5000 },
    );
    if (before > 1) {
      await setSlider(page, 'opt-topk', before - 1);
      await page.waitForFunction(
        (n) => Number(document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lane-count')) === n,
        before - 1,
        { timeout: 5000 },
      );
      await setSlider(page, 'opt-topk', 5);
    }
    await page.waitForTimeout(300);
    assert.equal(inferCalls, sentBefore, 'no infer call went over the bridge');
    assert.equal(Number(await page.getAttribute('[data-testid=requests-sent]', 'data-count')), counterBefore);
    assert.equal(await serverInferenceCount(laneModel), serverBefore, 'the server saw no new inference');
  });

  it('A/B: compares two models on the same frame side by side (FP32 vs FP16 twin)', async () => {
    const index = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models;
    const other =
      index.find((m) => m.state === 'READY' && m.name !== laneModel && /fp16/i.test(m.name)) ??
      index.find((m) => m.state === 'READY' && m.name !== laneModel);
    assert.ok(other, 'a second READY model');
    await page.click('[data-testid=ab-side]');
    await pickModel(page, 'model-select-b', other.name);
    await page.waitForSelector('[data-testid=stage-b]');
    for (const id of ['stage-a', 'stage-b']) {
      await page.waitForFunction(
        (id) => Number(document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-lane-count')) > 0,
        id,
        { timeout: 30_000 },
      );
    }
    const a = JSON.parse((await page.getAttribute('[data-testid=stage-a]', 'data-lanes'))!)[0] as {
      points: [number, number][];
    }[];
    const b = JSON.parse((await page.getAttribute('[data-testid=stage-b]', 'data-lanes'))!)[0] as {
      points: [number, number][];
    }[];
    // The FP16 twin sees the same frame: same number of lanes, nearly the same geometry.
    assert.equal(b.length, a.length);
    await shot(page, '10-ab-side-by-side');
    await page.click('[data-testid=ab-overlay]');
    await shot(page, '11-ab-overlay');
    await page.click('[data-testid=ab-off]');
  });

  it('drag and drop: more frames are dropped on the stage; arrow keys step between them', async () => {
    const files = FRAME_NAMES.slice(1).map((n) => ({
      name: n,
      type: FRAME_TYPE,
      b64: readFileSync(join(FRAME_DIR, n)).toString('base64'),
    }));
    const dt = await page.evaluateHandle((files) => {
      const dt = new DataTransfer();
      for (const f of files)
        dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return dt;
    }, files);
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    await page.waitForSelector('[data-testid=frame-list] li:nth-child(2)');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=stage-a]')?.getAttribute('data-lane-count')) > 0,
      null,
      { timeout: 30_000 },
    );
    await page.locator('[data-testid=stage-a]').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid=frame-index][data-index="1"]');
    await page.waitForSelector('[data-testid=frame-list] li:nth-child(2).selected');
    // The labels loaded earlier match this frame by name: its accuracy is shown.
    await page.waitForSelector('[data-testid=accuracy-a]', { timeout: 30_000 });
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid=frame-index][data-index="0"]');
  });

  it('plays the demo video: frames advance and fps is shown', async () => {
    const demo = await h.services.handlers.demoStatus(undefined);
    const video = demo.media.find((m) => m.kind === 'video' && m.name.endsWith('.webm'));
    if (video) await page.click(`[data-testid="demo-${video.name}"]`);
    else
      await page.setInputFiles('[data-testid=file-input]', [
        join(REPO_ROOT, 'assets/demo/video/road.webm'),
        join(REPO_ROOT, 'assets/demo/video/labels.json'),
      ]);
    // The previous test left images open: wait until the video itself is the source (reading it
    // over the bridge takes a moment), or play would act on the images and then be reset.
    await page.waitForSelector('[data-testid=inspector-stage][data-source-kind=video] [data-testid=stage-a]', {
      timeout: 15_000,
    });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=frame-index]')?.getAttribute('data-index')) === 0,
    );
    const sentBefore = inferCalls;
    await page.click('[data-testid=play]');
    // Plays until 8 frames have gone by, the fps chip shows at least 3 (it starts at 0 and fills its
    // 1 s window) and 3 frames were inferred: about a second of the 10 fps video. At most 10 s on a
    // loaded machine, or until the video ends. A fixed 3 s of playing only cost CPU beyond that.
    const read = () =>
      page.evaluate(() => ({
        fps: document.querySelector('[data-testid=fps]')?.getAttribute('data-fps') ?? null,
        index: Number(document.querySelector('[data-testid=frame-index]')?.getAttribute('data-index')),
        ended: document.querySelector<HTMLVideoElement>('[data-testid=video-element]')?.ended ?? false,
        sourceError: document.querySelector('[data-testid=source-error]')?.textContent ?? '',
      }));
    let seen = await read();
    for (const until = Date.now() + 10_000; Date.now() < until; seen = await read()) {
      if (seen.ended || seen.sourceError || (Number(seen.fps) >= 3 && seen.index >= 8 && inferCalls - sentBefore >= 3))
        break;
      await page.waitForTimeout(100);
    }
    assert.ok(
      seen.fps !== null || seen.ended,
      `playback stopped before the end without an fps; UI says: ${JSON.stringify(seen.sourceError)}`,
    );
    const fps = Number(seen.fps ?? Infinity);
    const index = seen.index;
    await shot(page, '12-video-playing');
    await page.keyboard.press('Space');
    assert.ok(index >= 8, `frame index advanced to ${index} while playing`);
    assert.ok(fps >= 3, `fps shown while playing: ${fps}`);
    const uiSent = Number(await page.getAttribute('[data-testid=requests-sent]', 'data-count'));
    assert.ok(
      inferCalls - sentBefore >= 3,
      `frames were inferred while playing (${inferCalls - sentBefore} infer calls seen, UI counter ${uiSent})`,
    );
  });

  it('shows the model statistics as per-request rates after the inferences', async () => {
    await page.click('[data-testid=nav-models]');
    await page.click(`[data-testid="model-row-${laneModel}"]`);
    await page.click('[data-testid=model-tab-stats]');
    await page.waitForSelector('[data-testid=model-stats]', { timeout: 10_000 });
    // Two samples at least (2 s apart) give a rate.
    await page.waitForSelector('[data-testid=chart-throughput] canvas');
    // The panel samples every 2 s: within a few samples it shows exactly the server's count.
    let requests = NaN;
    let server = NaN;
    for (let i = 0; i < 20 && requests !== server; i++) {
      const text = (await page.textContent('[data-testid=model-stats]')) ?? '';
      requests = Number(/Requests(\d+)/.exec(text)?.[1]);
      server = await serverInferenceCount(laneModel);
      if (requests !== server) await page.waitForTimeout(500);
    }
    assert.equal(requests, server);
    assert.ok(requests > 3, `requests ${requests}`);
    // The screenshot (only taken when asked for) shows the charts a sample later.
    if (SHOTS) await page.waitForTimeout(2200);
    await shot(page, '13-model-statistics');
    assert.deepEqual(h.pageErrors, []);
  });
});

async function setSlider(p: Page, testId: string, value: number): Promise<void> {
  await p.$eval(
    `[data-testid=${testId}]`,
    (el, v) => {
      const input = el as HTMLInputElement;
      // React tracks the value property: set it through the native setter, then fire input.
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(input, String(v));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}
