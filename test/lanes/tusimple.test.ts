import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatTusimpleJson,
  lanePointsToTusimple,
  lanesToTusimpleFrame,
  parseTusimpleJson,
  tusimpleLanePoints,
  type TusimpleFrame,
} from '../../shared/lanes/tusimple';
import {
  tusimpleAccuracy,
  tusimpleFrameScore,
  tusimpleLaneAngle,
  tusimpleLaneMatches,
} from '../../shared/lanes/tusimpleMetric';
import { LaneLabelError } from '../../shared/lanes/errors';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import { REAL_DIR } from './helpers';
import { hasShared, skipUnlessShared } from '../helpers/shared';
import { syntheticTusimpleFrames } from './synthetic';

const LABELS = join(REAL_DIR, 'tusimple/labels_derived.json');
const realLabels = skipUnlessShared('lanes/real/tusimple/labels_derived.json');
/**
 * The metric tests run on the real labelled frames where ../shared has them, else on our synthetic
 * frames of the same shape (6 frames, 56 h_samples, 4 straight lanes, absent rows as -2).
 */
const gtFrames = (): TusimpleFrame[] =>
  hasShared('lanes/real/tusimple/labels_derived.json')
    ? parseTusimpleJson(readFileSync(LABELS, 'utf8'), LABELS)
    : parseTusimpleJson(formatTusimpleJson(syntheticTusimpleFrames()), 'synthetic');

function shifted(frame: TusimpleFrame, dx: number): TusimpleFrame {
  return { ...frame, lanes: frame.lanes.map((l) => l.map((x) => (x >= 0 ? x + dx : x))) };
}

test('the real TuSimple labels parse: 6 frames, 56 h_samples, 4 lanes each', { skip: realLabels }, () => {
  const frames = gtFrames();
  assert.equal(frames.length, 6);
  for (const f of frames) {
    assert.equal(f.h_samples.length, 56);
    assert.equal(f.h_samples[0], 160);
    assert.ok(f.lanes.length >= 4);
    assert.match(f.raw_file, /^tusimple\/000\d\.png$/);
  }
  assert.deepEqual(parseTusimpleJson(formatTusimpleJson(frames)), frames);
});

test('GT scored against itself is perfect, per frame and over the sequence', () => {
  const frames = gtFrames();
  for (const f of frames) {
    const s = tusimpleFrameScore(f.lanes, f.lanes, f.h_samples);
    assert.equal(s.accuracy, 1);
    assert.equal(s.fp, 0);
    assert.equal(s.fn, 0);
  }
  const seq = tusimpleAccuracy(frames, frames);
  assert.equal(seq.accuracy, 1);
  assert.equal(seq.fp, 0);
  assert.equal(seq.fn, 0);
  assert.equal(seq.f1, 1);
  assert.equal(seq.frames.length, 6);
});

test('angle-adjusted threshold: 20 / cos(slope angle) of the least-squares line x = k*y + b', () => {
  const f = gtFrames()[0];
  const s = tusimpleFrameScore(f.lanes, f.lanes, f.h_samples);
  for (let i = 0; i < f.lanes.length; i++) {
    const pts = tusimpleLanePoints(f.lanes[i], f.h_samples);
    // The derived labels are straight lines: the end-to-end slope is the regression slope within 2%.
    const k = (pts[pts.length - 1][0] - pts[0][0]) / (pts[pts.length - 1][1] - pts[0][1]);
    assert.ok(Math.abs(s.thresholds[i] - 20 * Math.sqrt(1 + k * k)) / s.thresholds[i] < 0.02, `lane ${i}`);
  }
  // A vertical lane gets exactly 20 px; a 45 degree lane 20 * sqrt(2).
  const h = [0, 10, 20, 30];
  assert.equal(tusimpleLaneAngle([100, 100, 100, 100], h), 0);
  assert.ok(Math.abs(tusimpleLaneAngle([0, 10, 20, 30], h) - Math.PI / 4) < 1e-12);
  assert.equal(tusimpleLaneAngle([-2, -2, 5, -2], h), 0);
});

test('lane matches for TP/FP/FN colouring agree with the frame score', () => {
  const h = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190];
  const gt = [h.map(() => 100), h.map(() => 300), h.map(() => 500)];
  // Prediction 0 is on GT 0 (5 px off), 1 is 60 px from GT 1 (a false positive), 2 is on GT 2
  // for 9 of 10 rows (0.9 >= 0.85: found), 3 is on GT 2 for 8 rows only (not enough on its own).
  const pred = [
    h.map(() => 105),
    h.map(() => 360),
    h.map((_, i) => (i === 0 ? -2 : 500)),
    h.map((_, i) => (i < 2 ? -2 : 500)),
  ];
  const m = tusimpleLaneMatches(pred, gt, h);
  assert.deepEqual(m.predMatched, [true, false, true, false]);
  assert.deepEqual(m.gtFound, [true, false, true]);
  assert.equal(m.gtFound.filter(Boolean).length, tusimpleFrameScore(pred, gt, h).matched);
});

test("shifted lanes match exactly while the shift is below each lane's threshold", () => {
  const f = gtFrames()[1];
  const { thresholds } = tusimpleFrameScore(f.lanes, f.lanes, f.h_samples);
  for (const dx of [5, 19.9, 25, 40, 60, 80]) {
    const s = tusimpleFrameScore(shifted(f, dx).lanes, f.lanes, f.h_samples);
    const expectFound = thresholds.filter((t) => dx < t).length;
    assert.equal(s.matched, expectFound, `shift ${dx}`);
    assert.equal(s.fnCount, f.lanes.length - expectFound);
    assert.equal(s.fpCount, f.lanes.length - expectFound);
  }
  // Any lane, however slanted, tolerates 19 px; nothing tolerates a 2000 px shift.
  assert.equal(tusimpleFrameScore(shifted(f, 19).lanes, f.lanes, f.h_samples).accuracy, 1);
  const far = tusimpleFrameScore(shifted(f, 2000).lanes, f.lanes, f.h_samples);
  assert.equal(far.fn, 1);
  assert.equal(far.fp, 1);
});

test('a missing lane is a false negative, an extra lane a false positive', () => {
  const f = gtFrames()[2];
  const missing = tusimpleFrameScore(f.lanes.slice(1), f.lanes, f.h_samples);
  assert.equal(missing.fn, 1 / 4);
  assert.equal(missing.fp, 0);
  // The missed lane's best accuracy comes from rows where both are absent: below 0.85, above 0.
  assert.ok(missing.lineAccuracies[0] < 0.85);
  assert.equal(missing.accuracy, (3 + missing.lineAccuracies[0]) / 4);

  const junk = f.h_samples.map(() => 5);
  const extra = tusimpleFrameScore([...f.lanes, junk], f.lanes, f.h_samples);
  assert.equal(extra.fp, 1 / 5);
  assert.equal(extra.fn, 0);
  assert.equal(extra.accuracy, 1);
});

test('an all-absent prediction still matches rows where the GT is absent (-100 rule)', () => {
  const h = Array.from({ length: 20 }, (_, i) => 160 + 10 * i);
  const gt = [h.map((_, i) => (i < 2 ? 300 : -2))];
  const none = [h.map(() => -2)];
  const s = tusimpleFrameScore(none, gt, h);
  assert.equal(s.lineAccuracies[0], 18 / 20);
  assert.equal(s.fn, 0, '0.9 >= 0.85: an empty prediction "matches" a 2-row GT lane');
});

test('too many predictions or a slow frame score accuracy 0, FN 1', () => {
  const f = gtFrames()[0];
  const seven = [...f.lanes, ...f.lanes.slice(0, 3)];
  assert.deepEqual(
    (({ accuracy, fp, fn }) => ({ accuracy, fp, fn }))(tusimpleFrameScore(seven, f.lanes, f.h_samples)),
    { accuracy: 0, fp: 0, fn: 1 },
  );
  assert.equal(tusimpleFrameScore(f.lanes, f.lanes, f.h_samples, 201).accuracy, 0);
  assert.equal(tusimpleFrameScore(f.lanes, f.lanes, f.h_samples, 200).accuracy, 1);
  assert.equal(tusimpleFrameScore(f.lanes, f.lanes, f.h_samples, 201, { maxRunTimeMs: 20000 }).accuracy, 1);
});

test('five GT lanes: the worst lane is ignored and one FN forgiven', () => {
  const f = gtFrames()[0];
  const five = [...f.lanes, f.lanes[0].map((x) => (x >= 0 ? x + 400 : x))];
  const s = tusimpleFrameScore(f.lanes, five, f.h_samples);
  assert.ok(Math.abs(s.accuracy - 1) < 1e-12, '4 perfect lanes / 4, the unmatched 5th dropped');
  assert.equal(s.fn, 0);
  assert.equal(s.fnCount, 0);
});

test('sequence: means over frames, matched by raw_file; F1 from FP/FN', () => {
  const gts = gtFrames();
  const preds = gts.map((g, i) => (i === 0 ? { ...g, lanes: g.lanes.slice(1) } : g)).reverse();
  const seq = tusimpleAccuracy(preds, gts);
  const first = seq.frames.find((f) => f.raw_file === gts[0].raw_file)!;
  assert.ok(Math.abs(seq.accuracy - (5 + first.accuracy) / 6) < 1e-12);
  assert.ok(Math.abs(seq.fn - 0.25 / 6) < 1e-12);
  assert.equal(seq.fp, 0);
  const r = 1 / (1 + 0.25 / 6);
  assert.ok(Math.abs(seq.f1 - (2 * r) / (1 + r)) < 1e-12);
  assert.throws(() => tusimpleAccuracy(preds.slice(1), gts), /all the test tasks/);
  assert.throws(() => tusimpleAccuracy([...preds.slice(1), { ...gts[0], raw_file: 'x.png' }], gts), /does not exist/);
});

test('prediction lanes of the wrong length are a format error', () => {
  const f = gtFrames()[0];
  assert.throws(() => tusimpleFrameScore([f.lanes[0].slice(1)], f.lanes, f.h_samples), /Format of lanes error/);
});

test('malformed label files name the file and line', () => {
  assert.throws(
    () =>
      parseTusimpleJson(
        '{"lanes": [], "h_samples": [1], "raw_file": "a"}\n{"lanes": [[1, 2]], "h_samples": [1], "raw_file": "b"}',
        'gt.json',
      ),
    (e: Error) => e instanceof LaneLabelError && /^gt\.json:2: .*lanes\[0\].*2 values/.test(e.message),
  );
  assert.throws(() => parseTusimpleJson('{"lanes": [\n', 'p.json'), /^LaneLabelError|p\.json:1: invalid JSON/);
  assert.throws(() => parseTusimpleJson('{"lanes": [], "raw_file": "a"}', 'p.json'), /h_samples/);
  // Lanes at no rows cannot be scored (the metric would divide 0 by 0); a frame without lanes is fine.
  assert.throws(
    () => parseTusimpleJson('{"lanes": [[]], "h_samples": [], "raw_file": "a"}', 'p.json'),
    /: p\.json:1: field "h_samples" is empty, but there is 1 lane$/,
  );
  assert.equal(parseTusimpleJson('{"lanes": [], "h_samples": [], "raw_file": "a"}', 'p.json').length, 1);
  // One JSON array (no lines): the error names the frame by its index.
  assert.throws(
    () =>
      parseTusimpleJson(
        '[{"lanes": [], "h_samples": [1], "raw_file": "a"}, {"lanes": [[1, 2]], "h_samples": [1], "raw_file": "b"}]',
        'labels.json',
      ),
    /: labels\.json frame 1: field "lanes\[0\]" has 2 values but h_samples has 1$/,
  );
});

test('decoded point lists convert back to TuSimple rows (spline at h_samples, -2 outside)', () => {
  for (const f of gtFrames()) {
    const converted = f.lanes.map((l) => lanePointsToTusimple(tusimpleLanePoints(l, f.h_samples), f.h_samples));
    const s = tusimpleFrameScore(converted, f.lanes, f.h_samples);
    assert.equal(s.accuracy, 1);
    converted.forEach((c, i) =>
      c.forEach((x, r) => {
        const g = f.lanes[i][r];
        // Same rows present; values within 1 px (int() truncation of the interpolated value).
        assert.equal(x < 0, g < 0, `lane ${i} row ${r}`);
        if (g >= 0) assert.ok(Math.abs(x - g) <= 1, `lane ${i} row ${r}: ${x} vs ${g}`);
      }),
    );
  }
  // Within 0.01 (normalised, 7.2 px) past the ends the spline extrapolates; beyond that -2.
  const xs = lanePointsToTusimple(
    [
      [100, 300],
      [110, 400],
      [120, 500],
    ],
    [290, 295, 300, 500, 507, 508, 510],
  );
  assert.deepEqual(
    xs.map((x) => (x < 0 ? 'absent' : 'present')),
    ['absent', 'present', 'present', 'present', 'present', 'absent', 'absent'],
  );
  [99.5, 100, 120, 120.7].forEach((want, i) => assert.ok(Math.abs(xs[i + 1] - want) <= 1, `${xs[i + 1]} ~ ${want}`));
});

test('end to end on the labelled frames: GT lanes encoded as LaneATT proposals decode back to >= 0.95 accuracy', () => {
  const frames = gtFrames();
  const preds = frames.map((f) => {
    // One bottom-anchored proposal per GT lane: x (640-wide input) linearly interpolated between
    // the labelled rows, negative (dropped) outside the labelled span; background rows score 0.
    const raw = new Float32Array(2784 * 77);
    for (let r = 0; r < 2784; r++) raw[r * 77] = 5;
    f.lanes.forEach((xs, k) => {
      const pts = tusimpleLanePoints(xs, f.h_samples).map(([x, y]) => [x / 2, y / 2]);
      const off = (500 + 300 * k) * 77;
      raw[off] = 0;
      raw[off + 1] = 4;
      raw[off + 4] = 72;
      for (let i = 0; i < 72; i++) {
        const y = 360 * (1 - i / 71);
        let x = -1000;
        for (let j = 0; j + 1 < pts.length; j++) {
          const [x0, y0] = pts[j],
            [x1, y1] = pts[j + 1];
          if (y >= y0 && y <= y1) x = x0 + ((x1 - x0) * (y - y0)) / (y1 - y0);
        }
        raw[off + 5 + i] = x;
      }
    });
    const decoded = decodeLaneAtt(raw, { conf: 0.5, nms: 15, topk: 5, origW: 1280, origH: 720 });
    assert.equal(decoded.lanes.length, f.lanes.length, f.raw_file);
    return lanesToTusimpleFrame(decoded.lanes, f.raw_file, f.h_samples);
  });
  const s = tusimpleAccuracy(preds, frames);
  assert.ok(s.accuracy >= 0.95, `accuracy ${s.accuracy}`);
  assert.equal(s.fn, 0);
  assert.equal(s.fp, 0);
});
