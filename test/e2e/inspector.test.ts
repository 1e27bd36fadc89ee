/**
 * Browser-mode E2E of the inspector's newer parts: the A/B differences and the Δ layer, the A/B
 * summary over an image sequence (worst frame first; a click shows it), and model metadata read
 * again after "Apply to server" changed the model's input shape.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, pickModel, pickedModel, shot, startHarness, type Harness } from './harness';
import { laneStub } from '../triton-client/helpers/laneStubRepo';

const SCENES = ['scene_01.jpg', 'scene_02.jpg', 'scene_03.jpg', 'scene_04.jpg'].map((n) =>
  join(REPO_ROOT, 'assets/demo/scenes', n),
);
const DYN = 'lane_dynamic_input';
const dynConfig = (h: number, w: number) => `name: "${DYN}"
backend: "onnxruntime"
max_batch_size: 1
input [ { name: "input" data_type: TYPE_FP32 format: FORMAT_NCHW dims: [ 3, ${h}, ${w} ] } ]
output [ { name: "predict_lanes" data_type: TYPE_FP32 dims: [ 2784, 77 ] } ]
`;

describe('Inspector (E2E)', () => {
  let h: Harness;
  let repo = '';
  before(async () => {
    // The demo repository plus a lane-shaped model whose ONNX input has dynamic H and W, so a
    // config override can change the input shape the server expects.
    repo = mkdtempSync(join(tmpdir(), 'tritonscope-e2e-repo-'));
    cpSync(join(REPO_ROOT, 'assets/demo-repo'), repo, { recursive: true });
    mkdirSync(join(repo, DYN, '1'), { recursive: true });
    writeFileSync(join(repo, DYN, 'config.pbtxt'), dynConfig(360, 640));
    writeFileSync(join(repo, DYN, '1', 'model.onnx'), laneStub('float', 'dynamic'));
    h = await startHarness({ demoRepo: repo });
    const page = h.page;
    await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
    await page.click('[data-testid=server-demo]');
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
  });
  after(async () => {
    await h?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('A/B: per-output |Δ|, matched lanes and the Δ layer; the sequence summary jumps to the worst frame', async () => {
    const page = h.page;
    await page.click('[data-testid=nav-inspector]');
    await page.setInputFiles('[data-testid=file-input]', SCENES);
    await page.waitForSelector('[data-testid=frame-list] li:nth-child(4)');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=model-select-a]')?.getAttribute('data-value'),
      null,
      { timeout: 15_000 },
    );
    // A is the demo's FP32 lane model (this repository also holds a lane-shaped stub, which the
    // automatic pick may choose), B its FP16 twin.
    await pickModel(page, 'model-select-a', 'laneDetect_model');
    const modelA = await pickedModel(page, 'model-select-a');
    const index = (await h.services.handlers.repositoryIndex({ connectionId: 'demo' })).models;
    const modelB = index.find((m) => m.state === 'READY' && m.name !== modelA && /fp16/i.test(m.name))?.name;
    assert.ok(modelB, `an FP16 twin of ${modelA} is READY`);
    await page.click('[data-testid=ab-overlay]');
    await pickModel(page, 'model-select-b', modelB);
    await page.waitForSelector('[data-testid=ab-diff][data-ready=yes]', { timeout: 60_000 });
    const out = page.locator('[data-testid=ab-diff-output]').first();
    const maxAbs = Number(await out.getAttribute('data-max'));
    const meanAbs = Number(await out.getAttribute('data-mean'));
    assert.ok(maxAbs > 0 && meanAbs > 0 && meanAbs <= maxAbs, `FP16 vs FP32 output |Δ| max ${maxAbs} mean ${meanAbs}`);
    const matched = Number(await page.getAttribute('[data-testid=ab-matched]', 'data-count'));
    const only = [
      await page.getAttribute('[data-testid=ab-only]', 'data-only-a'),
      await page.getAttribute('[data-testid=ab-only]', 'data-only-b'),
    ];
    assert.ok(matched > 0, `lanes matched between ${modelA} and ${modelB} (only A/B: ${only.join('/')})`);
    // The Δ layer draws the rows of the matched lanes on stage A, and goes away when switched off.
    const deltaRows = async () => Number(await page.getAttribute('[data-testid=stage-a]', 'data-delta-rows'));
    assert.ok((await deltaRows()) >= matched * 2, `Δ rows drawn (${await deltaRows()})`);
    await shot(page, 'inspector-01-ab-delta');
    await page.click('[data-testid=layer-delta]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=stage-a]')?.getAttribute('data-delta-rows') === '0',
    );
    await page.click('[data-testid=layer-delta]');
    assert.ok((await deltaRows()) > 0);

    // The whole sequence through A and B, then the worst frame first; a click shows it.
    await page.click('[data-testid=ab-run-all]');
    await page.waitForSelector(`[data-testid=ab-sequence][data-frames="${SCENES.length}"]`, { timeout: 120_000 });
    const rows = await page.$$eval('[data-testid=ab-seq-row]', (els) =>
      els.map((e) => ({
        index: Number(e.getAttribute('data-index')),
        unmatched: Number(e.getAttribute('data-unmatched')),
        dx: Number(e.getAttribute('data-dx')),
      })),
    );
    assert.equal(rows.length, SCENES.length);
    for (let i = 1; i < rows.length; i++) {
      const [p, q] = [rows[i - 1], rows[i]];
      assert.ok(p.unmatched > q.unmatched || (p.unmatched === q.unmatched && p.dx >= q.dx), 'worst first');
    }
    const worst = rows[0].index;
    // Move away from it first, so the jump is observable.
    const away = worst === 0 ? 1 : 0;
    await page.click(`[data-testid=frame-list] li:nth-child(${away + 1})`);
    await page.waitForSelector(`[data-testid=frame-index][data-index="${away}"]`);
    await page.click('[data-testid=ab-seq-row] >> nth=0');
    await page.waitForSelector(`[data-testid=frame-index][data-index="${worst}"]`);
    await page.waitForSelector(`[data-testid=frame-list] li:nth-child(${worst + 1}).selected`);
    await shot(page, 'inspector-02-ab-sequence');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=ab-export-csv]')]);
    assert.equal(csv.suggestedFilename(), 'ab-comparison.csv');
    await page.click('[data-testid=ab-off]');
  });

  it('reads the model metadata again after "Apply to server" changes the input shape', async () => {
    const page = h.page;
    // Every infer call the page makes, with its input shape (the bridge calls the handlers object).
    const calls: { model: string; shape: string; ok: boolean }[] = [];
    const infer = h.services.handlers.infer;
    h.services.handlers.infer = async (req) => {
      // A frame comes as an image (8-bit planes) or, for UINT8 inputs, as the tensor.
      const call = { model: req.model, shape: (req.image ?? req.inputs[0])?.shape.join(',') ?? '', ok: false };
      calls.push(call);
      const r = await infer(req);
      call.ok = true;
      return r;
    };
    const dynCalls = () => calls.filter((c) => c.model === DYN);
    await page.click('[data-testid=nav-inspector]');
    await page.setInputFiles('[data-testid=file-input]', SCENES.slice(0, 1));
    await page.waitForSelector('[data-testid=frame-list] li:nth-child(1)');
    await pickModel(page, 'model-select-a', DYN);
    await page.waitForFunction(() =>
      /-1, 3, 360, 640/.test(document.querySelector('[data-testid=model-io]')?.textContent ?? ''),
    );
    await page.waitForFunction(() => document.querySelector('[data-testid=lane-count]') !== null, null, {
      timeout: 30_000,
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=lane-count]') !== null);
    assert.ok(
      dynCalls().some((c) => c.ok && c.shape === '1,3,360,640'),
      'the frame was inferred with the 360 x 640 input',
    );
    const before = dynCalls().length;

    // Apply a config override with a 288 x 512 input (the file on disk stays as it is).
    await page.click('[data-testid=nav-repository]');
    await page.click(`[data-testid="open-config-${DYN}"]`);
    await page.waitForSelector(`[data-testid=editor-path]:has-text("${DYN}/config.pbtxt")`);
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(dynConfig(288, 512));
    await page.waitForSelector('[data-testid=diag-count]:has-text("valid")');
    await page.click('[data-testid=apply]');
    await page.waitForSelector('[data-testid=apply-dialog]');
    await page.click('[data-testid=apply-confirm]');
    await page.waitForSelector('[data-testid=apply-dialog]', { state: 'detached', timeout: 30_000 });
    const meta = await h.services.handlers.modelMetadata({ connectionId: 'demo', model: DYN });
    assert.deepEqual(meta.inputs[0].shape, [-1, 3, 288, 512], 'the server runs the override');

    // Back in the inspector: the new shape is shown, and the frame is inferred again with it.
    await page.click('[data-testid=nav-inspector]');
    await page.waitForFunction(
      () => /-1, 3, 288, 512/.test(document.querySelector('[data-testid=model-io]')?.textContent ?? ''),
      null,
      {
        timeout: 15_000,
      },
    );
    await page.waitForFunction(() => document.querySelector('[data-testid=lane-count]') !== null, null, {
      timeout: 30_000,
    });
    const deadline = Date.now() + 30_000;
    while (
      !dynCalls()
        .slice(before)
        .some((c) => c.ok) &&
      Date.now() < deadline
    )
      await page.waitForTimeout(250);
    const after = dynCalls().slice(before);
    assert.ok(
      after.some((c) => c.ok && c.shape === '1,3,288,512'),
      `inferred again with the new shape: ${JSON.stringify(after)}`,
    );
    assert.ok(!after.some((c) => c.shape === '1,3,360,640'), 'no request went out with the old shape');
    assert.equal(await page.locator('[data-testid=infer-error]').count(), 0);
    h.services.handlers.infer = infer;
    await shot(page, 'inspector-03-metadata-after-apply');
    assert.deepEqual(h.pageErrors, []);
  });
});
