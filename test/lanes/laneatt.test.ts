import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeLaneAtt, LaneAttDecoder } from '../../shared/lanes/laneatt';
import { laneAttReport } from '../../shared/lanes/laneattReport';
import { LaneDecodeError } from '../../shared/lanes/errors';
import { assertDeepClose, laneAttVectorNames, readF32, readJson, vectorTolerance, VECTORS_DIR } from './helpers';
import { hasShared, skipUnlessShared } from '../helpers/shared';
import { syntheticRoad, syntheticRows } from './synthetic';

const vectors = skipUnlessShared('lanes/vectors');

function optionsOf(params: any) {
  return {
    conf: params.conf,
    nms: params.nms,
    topk: params.topk,
    origW: params.orig_w,
    origH: params.orig_h,
    scoresAreProbs: params.scores_are_probs,
    imgW: params.img_w,
    imgH: params.img_h,
  };
}

test('there are LaneATT vectors to check', { skip: vectors }, () => {
  assert.ok(laneAttVectorNames().length >= 7);
});

for (const name of hasShared('lanes/vectors') ? laneAttVectorNames() : []) {
  test(`LaneATT vector ${name} decodes to its expected JSON`, () => {
    const want = readJson(join(VECTORS_DIR, `${name}.json`));
    const raw = readF32(join(VECTORS_DIR, `${name}.f32`));
    const result = decodeLaneAtt(raw, optionsOf(want.params));
    const got = laneAttReport(result, want.h_samples ? { hSamples: want.h_samples } : {});
    assertDeepClose(JSON.parse(JSON.stringify(got)), want, vectorTolerance);
  });
}

test('a reused decoder gives identical results across calls and option changes', () => {
  const dec = new LaneAttDecoder();
  const a = syntheticRoad();
  const b = syntheticRows([
    { logit: 3, startRow: 0, length: 60, x: 100 },
    { logit: 2, startRow: 0, length: 60, x: 150 },
  ]);
  const first = JSON.stringify(laneAttReport(dec.decode(a, { origW: 1640, origH: 590 })));
  dec.decode(b, { topk: 10, conf: 0 });
  dec.decode(a, { topk: 2784, conf: -1, nms: 0 });
  assert.equal(JSON.stringify(laneAttReport(dec.decode(a, { origW: 1640, origH: 590 }))), first);
});

test('vector 07: a proposal dropped for < 2 points still consumed a top-k slot', { skip: vectors }, () => {
  const raw = readF32(join(VECTORS_DIR, '07_topk_short_lane_quirk.f32'));
  const r = decodeLaneAtt(raw, { topk: 4 });
  assert.equal(r.nmsKeep.length, 4);
  assert.equal(r.lanes.length, 2);
  assert.deepEqual(
    r.dropped.map((d) => d.row),
    [1429, 511],
  );
  // With two more slots the NMS reaches further down the list instead of back-filling.
  const wider = decodeLaneAtt(raw, { topk: 6 });
  assert.ok(wider.lanes.length > 2);
});

test(
  'vector 06: the NMS threshold is strict (mean |dx| exactly at the threshold is not suppressed)',
  { skip: vectors },
  () => {
    const raw = readF32(join(VECTORS_DIR, '06_nms_exact_threshold.f32'));
    const at = decodeLaneAtt(raw, { topk: 10, nms: 50 });
    const above = decodeLaneAtt(raw, { topk: 10, nms: 50.001 });
    assert.equal(at.nmsKeep.length, 7);
    assert.ok(above.nmsKeep.length < at.nmsKeep.length, 'a hair above the threshold suppresses more');
  },
);

test('synthetic: a proposal dropped for < 2 points still consumed a top-k slot', () => {
  // Row 1 has a single in-image point (all other xs negative): kept by NMS, dropped as a lane.
  const raw = syntheticRows([
    { logit: 5, startRow: 0, length: 60, x: 100 },
    { logit: 4, startRow: 0, length: 60, x: (i) => (i === 0 ? 300 : -1) },
    { logit: 3, startRow: 0, length: 60, x: 500 },
  ]);
  const two = decodeLaneAtt(raw, { topk: 2 });
  assert.deepEqual(two.nmsKeep, [0, 1]);
  assert.deepEqual(
    two.lanes.map((l) => l.row),
    [0],
  );
  assert.deepEqual(
    two.dropped.map((d) => d.row),
    [1],
  );
  assert.deepEqual(
    decodeLaneAtt(raw, { topk: 3 }).lanes.map((l) => l.row),
    [0, 2],
  );
});

test('synthetic: the NMS threshold is strict (mean |dx| exactly at the threshold is not suppressed)', () => {
  const raw = syntheticRows([
    { logit: 5, startRow: 0, length: 60, x: 100 },
    { logit: 4, startRow: 0, length: 60, x: 150 },
  ]);
  assert.deepEqual(decodeLaneAtt(raw, { topk: 10, nms: 50 }).nmsKeep, [0, 1]);
  assert.deepEqual(decodeLaneAtt(raw, { topk: 10, nms: 50.001 }).nmsKeep, [0]);
});

test('synthetic road: one lane per strong anchor, near-duplicates suppressed', () => {
  const r = decodeLaneAtt(syntheticRoad(), { conf: 0.5, nms: 15, topk: 10 });
  assert.deepEqual(
    r.lanes.map((l) => l.row).sort((a, b) => a - b),
    [300, 900, 1500, 2100],
  );
});

test('conf threshold is strict: a score equal to conf is not a candidate', () => {
  const raw = syntheticRoad();
  const r = decodeLaneAtt(raw, { proposals: true });
  const top = r.lanes[0].score;
  const strict = decodeLaneAtt(raw, { conf: top });
  assert.ok(!strict.lanes.some((l) => l.row === r.lanes[0].row));
});

test('scores-are-probs: an export with the softmax inside the graph decodes to the same lanes', () => {
  const raw = syntheticRoad();
  const probs = raw.slice();
  for (let off = 0; off < probs.length; off += 77) {
    const p1 = 1 / (1 + Math.exp(raw[off] - raw[off + 1]));
    probs[off] = 1 - p1;
    probs[off + 1] = p1;
  }
  const opts = { conf: 0.2, nms: 45, topk: 5, origW: 1280, origH: 720 };
  const ref = decodeLaneAtt(raw, opts);
  const got = decodeLaneAtt(probs, { ...opts, scoresAreProbs: true });
  assert.deepEqual(got.nmsKeep, ref.nmsKeep);
  assertDeepClose(got.lanes, ref.lanes, () => 1e-6);
  // Softmaxing probabilities again squashes them towards 0.5: the wrong flag changes the result.
  // (sigmoid(p1 - p0) <= sigmoid(1) = 0.73): at conf 0.75 nothing survives without the flag.
  assert.equal(decodeLaneAtt(probs, { ...opts, conf: 0.75 }).lanes.length, 0);
  assert.ok(decodeLaneAtt(probs, { ...opts, conf: 0.75, scoresAreProbs: true }).lanes.length >= 2);
});

test('a negative length wraps the Python slice: length -3 keeps 69 rows', () => {
  const raw = syntheticRows([{ logit: 5, startRow: 0, length: -3, x: 100 }]);
  const r = decodeLaneAtt(raw, {});
  assert.equal(r.lanes.length, 1);
  assert.equal(r.lanes[0].points.length, 69);
  assert.equal(r.lanes[0].end, -4);
  // Top rows 69..71 are the ones removed: the first (top-most) point is row 68.
  assert.ok(Math.abs(r.lanes[0].inputPoints[0][1] - 360 * (1 - 68 / 71)) < 1e-3);
});

test('rows below a side anchor extend only while inside the image; negative xs make gaps', () => {
  // start row 10, length 5 (rows 10..14); rows 0..9 in the image except row 3 (x < 0);
  // row 12 negative -> gap.
  const x = (i: number) => (i === 3 ? -5 : i === 12 ? -1 : 320);
  const raw = syntheticRows([{ logit: 5, startRow: 10, length: 5, x }]);
  const r = decodeLaneAtt(raw, {});
  const rows = r.lanes[0].inputPoints.map(([, y]) => Math.round(71 * (1 - y / 360)));
  assert.deepEqual(rows, [14, 13, 11, 10, 9, 8, 7, 6, 5, 4]);
  // x > image width is kept inside [start, end] but stops the below-start extension.
  const wide = syntheticRows([
    { logit: 5, startRow: 5, length: 3, x: (i) => (i === 2 ? 700 : 650 - (i >= 5 ? 0 : 100)) },
  ]);
  const w = decodeLaneAtt(wide, {});
  const wRows = w.lanes[0].inputPoints.map(([, y]) => Math.round(71 * (1 - y / 360)));
  assert.deepEqual(wRows, [7, 6, 5, 4, 3]);
});

test('pre-NMS proposals come best first with points and the kept flag', () => {
  const raw = syntheticRoad();
  const r = decodeLaneAtt(raw, { proposals: true, origW: 1640, origH: 590 });
  assert.equal(r.proposals!.length, r.nAboveConf);
  for (let i = 1; i < r.proposals!.length; i++) assert.ok(r.proposals![i - 1].score >= r.proposals![i].score);
  assert.deepEqual(
    r
      .proposals!.filter((p) => p.kept)
      .map((p) => p.row)
      .sort(),
    [...r.nmsKeep].sort(),
  );
  const kept = r.proposals!.find((p) => p.row === r.lanes[0].row)!;
  assert.deepEqual(kept.points, r.lanes[0].points);
  assert.equal(decodeLaneAtt(raw, { proposals: true, maxProposals: 3 }).proposals!.length, 3);
  assert.equal(decodeLaneAtt(raw, {}).proposals, undefined);
  // A lower display threshold lists more proposals without changing the decoded lanes.
  const loose = decodeLaneAtt(raw, { proposals: true, proposalConf: 0.1, maxProposals: 5000, origW: 1640, origH: 590 });
  assert.ok(loose.proposals!.length > r.proposals!.length);
  assert.ok(loose.proposals!.every((p) => p.score > Math.fround(0.1)));
  assert.deepEqual(loose.lanes, r.lanes);
});

test('points scale to the original image size (resize without crop)', () => {
  const raw = syntheticRoad();
  const r = decodeLaneAtt(raw, { origW: 1920, origH: 1080 });
  assert.equal(r.lanes.length, 4);
  for (const lane of r.lanes) {
    lane.points.forEach(([x, y], i) => {
      assert.ok(Math.abs(x - (lane.inputPoints[i][0] * 1920) / 640) < 1e-6);
      assert.ok(Math.abs(y - (lane.inputPoints[i][1] * 1080) / 360) < 1e-6);
    });
  }
});

test('bad input is rejected with a clear error', () => {
  assert.throws(
    () => decodeLaneAtt(new Float32Array(77 * 3 + 1)),
    (e: Error) => e instanceof LaneDecodeError && /N x 77/.test(e.message),
  );
  assert.throws(() => decodeLaneAtt(new Float32Array(0)), LaneDecodeError);
  assert.throws(() => decodeLaneAtt(new Float32Array(77), { topk: 1.5 }), /topk/);
  assert.throws(() => decodeLaneAtt(new Float32Array(77), { nms: -1 }), /nms/);
  assert.throws(() => decodeLaneAtt(new Float32Array(77), { origW: 100 }), /together/);
});
