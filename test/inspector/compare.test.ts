/** The A/B comparison logic (shared/inference/compare): output deltas, threshold flips, lane matching, summaries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareFrame,
  matchLanes,
  sequenceCsvRows,
  summarizeSequence,
  thresholdFlips,
  valueDiff,
} from '../../shared/inference';
import type { Point } from '../../shared/lanes';

const lane = (xs: number[], y0 = 100, step = 10): { points: Point[] } => ({
  points: xs.map((x, i) => [x, y0 + i * step] as Point),
});

test('valueDiff: max and mean |Δ|, size mismatch flagged', () => {
  const d = valueDiff('out', [0, 1, 2, 3], [0, 1.5, 1, 3]);
  assert.equal(d.maxAbs, 1);
  assert.equal(d.meanAbs, 0.375);
  assert.equal(d.sizeMismatch, false);
  assert.equal(valueDiff('o', [1, 2], [1]).sizeMismatch, true);
});

test('thresholdFlips counts anchors above conf in one model only (softmax of the two logits)', () => {
  // Row logits [bg, lane]: p = softmax(...)[1]; 0 -> 0.5, +4 -> 0.98, -4 -> 0.018.
  const row = (l: number) => [0, l, 0];
  const a = [...row(4), ...row(4), ...row(-4), ...row(0)];
  const b = [...row(4), ...row(-4), ...row(4), ...row(0)];
  assert.deepEqual(thresholdFlips(a, b, 3, 0.5), { rows: 4, onlyA: 1, onlyB: 1 });
  // p = 0.5 exactly: strict (LaneATT) keeps neither, >= (CLRNet) keeps both: no flip either way.
  assert.deepEqual(thresholdFlips(row(0), row(0), 3, 0.5, { strict: false }), { rows: 1, onlyA: 0, onlyB: 0 });
  assert.deepEqual(thresholdFlips([0.9, 0.9], [0.1, 0.1], 2, 0.5, { scoresAreProbs: true }), {
    rows: 1,
    onlyA: 1,
    onlyB: 0,
  });
});

test('matchLanes: one-to-one on mean |Δx| over shared rows; A-only and B-only lanes', () => {
  const a = [lane([100, 110, 120, 130]), lane([300, 300, 300]), lane([600, 610])];
  const b = [lane([103, 111, 120, 130]), lane([900, 900, 900]), lane([600, 610], 100)];
  const r = matchLanes(a, b);
  assert.deepEqual(
    r.matches.map((m) => [m.a, m.b]),
    [
      [0, 0],
      [2, 2],
    ],
  );
  assert.equal(r.matches[0].meanDx, 1); // (3 + 1 + 0 + 0) / 4
  assert.equal(r.matches[0].maxDx, 3);
  assert.equal(r.matches[0].rows.length, 4);
  assert.deepEqual(r.onlyA, [1]);
  assert.deepEqual(r.onlyB, [1]);
});

test('matchLanes is an optimal assignment, not greedy; rows must overlap', () => {
  // Greedy would pair A0-B0 (1 px) and leave A1 (3 px from B0, far from B1) alone.
  const a = [lane([100, 100, 100]), lane([104, 104, 104])];
  const b = [lane([101, 101, 101]), lane([98, 98, 98])];
  const r = matchLanes(a, b, 5);
  assert.equal(r.matches.length, 2);
  assert.deepEqual(
    r.matches.map((m) => [m.a, m.b]),
    [
      [0, 1],
      [1, 0],
    ],
  );
  // Same x but no rows in common (B is lower in the image): not a match.
  const disjoint = matchLanes([lane([100, 100], 100)], [lane([100, 100], 500)]);
  assert.equal(disjoint.matches.length, 0);
  assert.deepEqual([disjoint.onlyA, disjoint.onlyB], [[0], [0]]);
});

test('summarizeSequence: worst frames first (unmatched lanes, then Δx), aggregates and CSV', () => {
  const frame = (index: number, dx: number, extraB: boolean) => ({
    index,
    label: `f${index}`,
    comparison: compareFrame({
      output: { name: 'predict_lanes', a: [0, 1], b: [dx / 100, 1] },
      decoder: 'ufld',
      lanesA: [lane([100, 100, 100])],
      lanesB: [lane([100 + dx, 100 + dx, 100 + dx]), ...(extraB ? [lane([400, 400])] : [])],
    }),
  });
  const s = summarizeSequence([frame(0, 0, false), frame(1, 5, false), frame(2, 1, true), frame(3, 0.5, false)]);
  assert.deepEqual(
    s.worst.map((f) => f.index),
    [2, 1, 3, 0],
  );
  assert.equal(s.frames, 4);
  assert.equal(s.disagreeing, 2); // frame 2 (a B-only lane) and frame 1 (5 px > 2 px tolerance)
  assert.equal(s.onlyB, 1);
  assert.equal(s.meanDx, (0 + 5 + 1 + 0.5) / 4);
  assert.equal(s.maxAbsOutput, 0.05);
  const csv = sequenceCsvRows(s);
  assert.equal(csv[0][0], 'frame');
  assert.deepEqual(csv[1].slice(0, 8), ['3', 'f2', '1', '2', '1', '0', '1', '1.000']);
});
