/**
 * The procedural road scenes: deterministic, and their TuSimple labels are exact, i.e. computed
 * from the same geometry that paints the markings (checked on the rendered pixels).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  groundTruth,
  H_SAMPLES,
  markingColumn,
  paintVisibility,
  renderScene,
  sampleScene,
  SCENE_HEIGHT,
  SCENE_WIDTH,
  type Scene,
} from '../../scripts/demo/scene';
import { driveFrame, driveLabels, frameCount } from '../../scripts/demo/video';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('same seed -> byte-identical frame and labels; other seeds differ', () => {
  const a = renderScene(sampleScene(4242));
  const b = renderScene(sampleScene(4242));
  assert.equal(sha(a.rgb), sha(b.rgb));
  assert.deepEqual(groundTruth(sampleScene(4242), 'x'), groundTruth(sampleScene(4242), 'x'));
  const c = renderScene(sampleScene(4243));
  assert.notEqual(sha(a.rgb), sha(c.rgb));
  assert.equal(a.rgb.length, SCENE_WIDTH * SCENE_HEIGHT * 3);
});

test('labels are TuSimple-shaped: 56 h_samples 160..710, one int per row, -2 or inside the image', () => {
  assert.deepEqual(
    H_SAMPLES,
    Array.from({ length: 56 }, (_, i) => 160 + 10 * i),
  );
  const counts = new Set<number>();
  for (let seed = 1; seed <= 40; seed++) {
    const scene = sampleScene(seed);
    assert.ok(scene.markings.length >= 2 && scene.markings.length <= 5);
    const gt = groundTruth(scene, `f${seed}.jpg`);
    assert.equal(gt.raw_file, `f${seed}.jpg`);
    assert.deepEqual(gt.h_samples, [...H_SAMPLES]);
    counts.add(gt.lanes.length);
    for (const lane of gt.lanes) {
      assert.equal(lane.length, 56);
      for (const x of lane) assert.ok(x === -2 || (Number.isInteger(x) && x >= 0 && x < SCENE_WIDTH), `x=${x}`);
      // markings end at the crest and stay in view: present rows form one block ending at the bottom or an image edge
      const present = lane.map((x) => x >= 0);
      const first = present.indexOf(true);
      const last = present.lastIndexOf(true);
      assert.ok(present.slice(first, last + 1).every(Boolean), `gap in ${lane.join(',')}`);
    }
    // left-to-right order where lanes share rows
    for (let i = 1; i < gt.lanes.length; i++) {
      const shared = H_SAMPLES.map((_, r) => r).filter((r) => gt.lanes[i - 1][r] >= 0 && gt.lanes[i][r] >= 0);
      for (const r of shared) assert.ok(gt.lanes[i - 1][r] < gt.lanes[i][r]);
    }
  }
  assert.ok(counts.size >= 3, `lane counts vary: ${[...counts]}`);
});

function checkLabelsOnPaint(scene: Scene): { checked: number; brighter: number } {
  const { rgb, paintMask } = renderScene(scene);
  const gt = groundTruth(scene, 'x');
  const visible = paintVisibility(scene);
  // paintMask numbers all markings left to right; labels skip markings with < 2 rows in view
  const all = [...scene.markings].sort((a, b) => a.xr - b.xr);
  const sorted = all.filter((m) => H_SAMPLES.filter((v) => markingColumn(scene, m, v) !== undefined).length >= 2);
  assert.equal(visible.length, gt.lanes.length);
  const lum = (x: number, y: number) => {
    const i = (y * SCENE_WIDTH + x) * 3;
    return 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
  };
  let checked = 0;
  let brighter = 0;
  gt.lanes.forEach((lane, li) => {
    const markingIndex = all.indexOf(sorted[li]);
    H_SAMPLES.forEach((v, r) => {
      if (!visible[li][r]) return;
      const x = lane[r];
      assert.ok(x >= 0);
      // the labelled pixel is painted by this very marking
      assert.equal(paintMask[v * SCENE_WIDTH + x], markingIndex + 1, `lane ${li} row ${v} x ${x}`);
      // and it is brighter than the road just beside the marking
      const z = (scene.cam.f * scene.cam.h) / (v + 0.5 - scene.cam.vy);
      const off = Math.ceil((sorted[li].width * scene.cam.f) / z / 2) + 4;
      if (x - off < 0 || x + off >= SCENE_WIDTH) return;
      checked++;
      if (lum(x, v) > Math.max(lum(x - off, v), lum(x + off, v)) + 10) brighter++;
    });
  });
  return { checked, brighter };
}

test("every label on a visible, unoccluded marking row lies on that marking's paint", () => {
  let checked = 0;
  let brighter = 0;
  for (let seed = 100; seed < 112; seed++) {
    const r = checkLabelsOnPaint(sampleScene(seed));
    checked += r.checked;
    brighter += r.brighter;
  }
  assert.ok(checked > 200, `checked ${checked} rows`);
  // shadows edges and vehicles beside a marking can make a neighbour brighter now and then
  assert.ok(brighter / checked > 0.97, `${brighter}/${checked} labelled pixels brighter than the road beside them`);
});

test('dashed markings leave gaps that the labels run through (as TuSimple annotations do)', () => {
  let gapRows = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const scene = sampleScene(seed);
    const gt = groundTruth(scene, 'x');
    const vis = paintVisibility(scene);
    gt.lanes.forEach((lane, li) =>
      H_SAMPLES.forEach((_, r) => {
        if (lane[r] >= 0 && !vis[li][r]) gapRows++;
      }),
    );
  }
  assert.ok(gapRows > 50, `${gapRows} labelled rows without visible paint`);
});

test('the drive moves smoothly: labels change a little from frame to frame', () => {
  const opts = { seed: 77, fps: 10, seconds: 2 };
  const labels = driveLabels(opts);
  assert.equal(labels.length, frameCount(opts));
  assert.equal(labels.length, 20);
  let moved = 0;
  for (let i = 1; i < labels.length; i++) {
    const a = labels[i - 1];
    const b = labels[i];
    assert.equal(a.lanes.length, b.lanes.length, `frame ${i}`);
    a.lanes.forEach((lane, li) =>
      lane.forEach((x, r) => {
        const y = b.lanes[li][r];
        if (x >= 0 && y >= 0 && H_SAMPLES[r] > 400) {
          assert.ok(Math.abs(x - y) < 40, `frame ${i} lane ${li} row ${H_SAMPLES[r]}: ${x} -> ${y}`);
          if (x !== y) moved++;
        }
      }),
    );
  }
  assert.ok(moved > 50, 'lanes move over the drive');
  assert.equal(sha(renderScene(driveFrame(opts, 5)).rgb), sha(renderScene(driveFrame(opts, 5)).rgb));
});
