import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { formatCulaneLines, lanePointsToCulane, parseCulaneLines } from '../../shared/lanes/culane';
import { culaneF1, culaneFrameScore } from '../../shared/lanes/culaneMetric';
import { maxWeightAssignment } from '../../shared/lanes/hungarian';
import { maskIou, rasterizeLane, splineInterpTimes, type LaneMask } from '../../shared/lanes/laneMask';
import { LaneLabelError } from '../../shared/lanes/errors';
import type { Point } from '../../shared/lanes/types';
import { REAL_DIR } from './helpers';
import { hasShared, skipUnlessShared } from '../helpers/shared';
import { syntheticCulaneLanes } from './synthetic';

const KEYPOINTS = join(REAL_DIR, 'culane/culane_test_keypoint.txt');
const realCulane = skipUnlessShared('lanes/real/culane');
/** The real CULane frame's lanes where ../shared has them, else three synthetic lanes of the same kind. */
const gt = (): Point[][] =>
  hasShared('lanes/real/culane')
    ? parseCulaneLines(readFileSync(KEYPOINTS, 'utf8'), KEYPOINTS)
    : parseCulaneLines(formatCulaneLines(syntheticCulaneLanes()), 'synthetic');
const shift = (lanes: Point[][], dx: number) => lanes.map((l) => l.map(([x, y]): Point => [x + dx, y]));

test('the real CULane keypoint file parses: 3 lanes, bottom -> top, x may be negative', { skip: realCulane }, () => {
  const lanes = gt();
  assert.equal(lanes.length, 3);
  assert.deepEqual(lanes[0][0], [-21.2806, 580]);
  assert.deepEqual(lanes[1][0], [682.804, 590]);
  for (const l of lanes) for (let i = 1; i < l.length; i++) assert.equal(l[i][1], l[i - 1][1] - 10);
  assert.deepEqual(parseCulaneLines(formatCulaneLines(lanes)), lanes);
  assert.deepEqual(parseCulaneLines(''), []);
  assert.deepEqual(parseCulaneLines('\n  \n'), []);
});

test('malformed .lines.txt names the file and line', () => {
  assert.throws(
    () => parseCulaneLines('1 2 3 4\n5 6 7\n', 'a.lines.txt'),
    (e: Error) => e instanceof LaneLabelError && /^a\.lines\.txt:2: odd number/.test(e.message),
  );
  assert.throws(() => parseCulaneLines('1 2 x 4', 'b.lines.txt'), /b\.lines\.txt:1: value 2 is not a number: "x"/);
});

test(
  'our 16 px masks reproduce the real CULane seg label (laneseg_label_w16) of the same frame',
  { skip: realCulane },
  async () => {
    const { data, info } = await sharp(join(REAL_DIR, 'culane/culane_test_mask.png'))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.equal(info.width * info.height, 1640 * 590);
    const lanes = gt();
    const labelMasks = [1, 2, 3].map((v) => {
      const m: LaneMask = {
        width: 1640,
        height: 590,
        data: new Uint8Array(1640 * 590),
        area: 0,
        x0: 0,
        y0: 0,
        x1: 1639,
        y1: 589,
      };
      for (let i = 0; i < data.length; i++) {
        if (data[i] !== v) continue;
        m.data[i] = 1;
        m.area++;
      }
      return m;
    });
    const ious = lanes.map((l) => labelMasks.map((m) => maskIou(rasterizeLane(l, { laneWidth: 16 }), m)));
    const match = maxWeightAssignment(ious);
    match.forEach((j, i) => assert.ok(ious[i][j] > 0.95, `lane ${i}: IoU ${ious[i][j]}`));
    // The same lanes drawn without the spline or 4 px too wide agree clearly less.
    const wide = lanes.map((l, i) => maskIou(rasterizeLane(l, { laneWidth: 20 }), labelMasks[match[i]]));
    wide.forEach((w, i) => assert.ok(w < ious[i][match[i]] - 0.1));
  },
);

test('CULane F1: GT against itself is perfect; a lateral shift drops lanes as IoU falls under 0.5', () => {
  const lanes = gt();
  const self = culaneF1([lanes], [lanes]);
  assert.deepEqual([self.tp, self.fp, self.fn, self.f1], [3, 0, 0, 1]);
  let prevTp = 3;
  for (const dx of [5, 15, 25, 40]) {
    const s = culaneFrameScore(shift(lanes, dx), lanes);
    const diag = s.ious.map((row, i) => row[i]);
    assert.equal(s.tp, diag.filter((v) => v > 0.5).length, `dx ${dx}`);
    assert.ok(s.tp <= prevTp);
    prevTp = s.tp;
    assert.equal(s.fp, 3 - s.tp);
    assert.equal(s.fn, 3 - s.tp);
  }
  // 30 px masks: a 40 px shift leaves no overlap worth matching.
  assert.equal(culaneFrameScore(shift(lanes, 40), lanes).tp, 0);
  // A 5 px shift keeps every lane (IoU ~ 1 - 5/30).
  assert.equal(culaneFrameScore(shift(lanes, 5), lanes).tp, 3);
});

test('CULane F1 over frames sums TP/FP/FN; empty GT counts FPs, empty predictions FNs', () => {
  const lanes = gt();
  const s = culaneF1([lanes, lanes.slice(0, 2), [], lanes], [lanes, lanes, lanes, []]);
  assert.equal(s.tp, 3 + 2);
  assert.equal(s.fn, 1 + 3);
  assert.equal(s.fp, 3);
  assert.ok(Math.abs(s.precision - 5 / 8) < 1e-12);
  assert.ok(Math.abs(s.recall - 5 / 9) < 1e-12);
  assert.ok(Math.abs(s.f1 - (2 * (5 / 8) * (5 / 9)) / (5 / 8 + 5 / 9)) < 1e-12);
  // A one-point lane counts as a prediction but never matches (C++ evaluator: similarity 0).
  const withStub = culaneFrameScore([...lanes, [[10, 10]]], lanes);
  assert.deepEqual([withStub.tp, withStub.fp], [3, 1]);
  assert.throws(() => culaneF1([lanes], []), /1 prediction frames for 0 GT frames/);
});

test('Hungarian matching maximises total IoU (checked against brute force)', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const perms = (n: number): number[][] =>
    n === 0
      ? [[]]
      : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
  for (let trial = 0; trial < 40; trial++) {
    const rows = 1 + Math.floor(rand() * 4),
      cols = 1 + Math.floor(rand() * 4);
    const w = Array.from({ length: rows }, () => Array.from({ length: cols }, () => rand()));
    const n = Math.max(rows, cols);
    let best = -1;
    for (const p of perms(n)) {
      let s = 0;
      for (let i = 0; i < rows; i++) if (p[i] < cols) s += w[i][p[i]];
      best = Math.max(best, s);
    }
    const m = maxWeightAssignment(w);
    const got = m.reduce((s, j, i) => s + (j >= 0 ? w[i][j] : 0), 0);
    assert.ok(Math.abs(got - best) < 1e-9, `trial ${trial}`);
    const used = m.filter((j) => j >= 0);
    assert.equal(new Set(used).size, used.length);
    assert.equal(used.length, Math.min(rows, cols));
  }
  // Greedy would pair (0,0)=0.9 and leave 0.1; the optimum crosses over.
  assert.deepEqual(
    maxWeightAssignment([
      [0.9, 0.8],
      [0.7, 0.1],
    ]),
    [1, 0],
  );
});

test('spline densification passes through the points; CULane resampling keeps in-image rows', () => {
  const pts: Point[] = [
    [100, 500],
    [150, 400],
    [220, 300],
    [300, 200],
  ];
  const dense = splineInterpTimes(pts, 50);
  assert.equal(dense.length, 3 * 50 + 1);
  pts.forEach((p, i) => assert.ok(Math.hypot(dense[i * 50][0] - p[0], dense[i * 50][1] - p[1]) < 1e-9));
  const rows = lanePointsToCulane(
    [
      [-50, 300],
      [100, 500],
    ],
    1640,
    590,
  );
  assert.ok(rows.every(([x]) => x >= 0 && x < 1640));
  assert.ok(rows[0][1] > rows[rows.length - 1][1], 'bottom -> top');
  assert.ok(Math.abs(rows[0][1] - (500 + Math.floor(0.01 * 590))) < 1e-9, 'extends 0.01 * 590 px past the last point');
});
