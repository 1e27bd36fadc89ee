import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeLaneAtt, LaneAttDecoder } from '../../shared/lanes/laneatt';
import { laneAttReport } from '../../shared/lanes/laneattReport';
import { LaneDecodeError } from '../../shared/lanes/errors';
import { assertDeepClose, laneAttVectorNames, readF32, readJson, vectorTolerance, VECTORS_DIR } from './helpers';

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

test('there are LaneATT vectors to check', () => {
  assert.ok(laneAttVectorNames().length >= 7);
});

for (const name of laneAttVectorNames()) {
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
  const a = readF32(join(VECTORS_DIR, '01_culane_4lanes.f32'));
  const b = readF32(join(VECTORS_DIR, '06_nms_exact_threshold.f32'));
  const first = JSON.stringify(laneAttReport(dec.decode(a, { origW: 1640, origH: 590 })));
  dec.decode(b, { topk: 10, conf: 0 });
  dec.decode(a, { topk: 2784, conf: -1, nms: 0 });
  assert.equal(JSON.stringify(laneAttReport(dec.decode(a, { origW: 1640, origH: 590 }))), first);
});

test('vector 07: a proposal dropped for < 2 points still consumed a top-k slot', () => {
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

test('vector 06: the NMS threshold is strict (mean |dx| exactly at the threshold is not suppressed)', () => {
  const raw = readF32(join(VECTORS_DIR, '06_nms_exact_threshold.f32'));
  const at = decodeLaneAtt(raw, { topk: 10, nms: 50 });
  const above = decodeLaneAtt(raw, { topk: 10, nms: 50.001 });
  assert.equal(at.nmsKeep.length, 7);
  assert.ok(above.nmsKeep.length < at.nmsKeep.length, 'a hair above the threshold suppresses more');
});

test('conf threshold is strict: a score equal to conf is not a candidate', () => {
  const raw = readF32(join(VECTORS_DIR, '01_culane_4lanes.f32'));
  const r = decodeLaneAtt(raw, { proposals: true });
  const top = r.lanes[0].score;
  const strict = decodeLaneAtt(raw, { conf: top });
  assert.ok(!strict.lanes.some((l) => l.row === r.lanes[0].row));
});

test('scores-are-probs: an export with the softmax inside the graph decodes to the same lanes', () => {
  const raw = readF32(join(VECTORS_DIR, '02_tusimple_5lanes.f32'));
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

/** One synthetic proposal row with the given start row, raw length and a constant x. */
function syntheticRows(
  rows: { logit: number; startRow: number; length: number; x: number | ((i: number) => number) }[],
) {
  const raw = new Float32Array(rows.length * 77);
  rows.forEach((r, k) => {
    const off = k * 77;
    raw[off] = 0;
    raw[off + 1] = r.logit;
    raw[off + 2] = r.startRow / 71;
    raw[off + 4] = r.length;
    for (let i = 0; i < 72; i++) raw[off + 5 + i] = typeof r.x === 'function' ? r.x(i) : r.x;
  });
  return raw;
}

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
  const raw = readF32(join(VECTORS_DIR, '01_culane_4lanes.f32'));
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
  const raw = readF32(join(VECTORS_DIR, '04_mid_image_starts.f32'));
  const r = decodeLaneAtt(raw, { origW: 1920, origH: 1080 });
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
