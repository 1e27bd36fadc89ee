import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeClrNet } from '../../shared/lanes/clrnet';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import { readF32, readJson, VECTORS_DIR } from './helpers';
import { hasShared } from '../helpers/shared';
import { syntheticRoad } from './synthetic';

/**
 * Re-expresses a LaneATT [N, 77] output in CLRNet's [N, 78] layout. CLRNet normalises xs by
 * img_w - 1, so the equivalent CLRNet input is 641 wide (xs / 640, NMS in xs * 640 px).
 */
function laneAttAsClrNet(raw: Float32Array): Float32Array {
  const n = raw.length / 77;
  const out = new Float32Array(n * 78);
  for (let i = 0; i < n; i++) {
    const s = i * 77,
      d = i * 78;
    out.set(raw.subarray(s, s + 4), d);
    out[d + 4] = 0.5; // theta: unused by the decode
    out[d + 5] = raw[s + 4] / 71;
    for (let j = 0; j < 72; j++) out[d + 6 + j] = raw[s + 5 + j] / 640;
  }
  return out;
}

/** Our synthetic road always; the independent reference vectors where ../shared has them. */
const sources: { name: string; load: () => { raw: Float32Array; conf: number; nms: number; topk: number } }[] = [
  { name: 'synthetic road', load: () => ({ raw: syntheticRoad(), conf: 0.5, nms: 15, topk: 10 }) },
  ...(hasShared('lanes/vectors')
    ? ['01_culane_4lanes', '02_tusimple_5lanes', '04_mid_image_starts', '07_topk_short_lane_quirk'].map((name) => ({
        name: `LaneATT vector ${name}`,
        load: () => ({
          raw: readF32(join(VECTORS_DIR, `${name}.f32`)),
          ...(readJson(join(VECTORS_DIR, `${name}.json`)).params as { conf: number; nms: number; topk: number }),
        }),
      }))
    : []),
];

for (const source of sources) {
  test(`CLRNet decode of ${source.name} re-expressed in CLRNet's layout gives the same lanes`, () => {
    const { raw, conf, nms, topk } = source.load();
    const ref = decodeLaneAtt(raw, { conf, nms, topk });
    // Crop nothing, original = 640 x 360: points come out in LaneATT's input pixels.
    // conf + 1e-7 turns CLRNet's >= into LaneATT's > for these scores.
    const got = decodeClrNet(laneAttAsClrNet(raw), {
      conf: conf + 1e-7,
      nms,
      topk,
      imgW: 641,
      imgH: 360,
      origW: 640,
      origH: 360,
      cutHeight: 0,
    });
    assert.ok(ref.lanes.length > 0, 'the source has lanes');
    assert.deepEqual(got.nmsKeep, ref.nmsKeep);
    assert.deepEqual(
      got.lanes.map((l) => l.row),
      ref.lanes.map((l) => l.row),
    );
    assert.deepEqual(
      got.dropped.map((d) => d.row),
      ref.dropped.map((d) => d.row),
    );
    got.lanes.forEach((l, i) => {
      assert.equal(l.points.length, ref.lanes[i].points.length);
      l.points.forEach(([x, y], j) => {
        assert.ok(Math.abs(x - ref.lanes[i].inputPoints[j][0]) < 1e-3, `x ${x}`);
        assert.ok(Math.abs(y - ref.lanes[i].inputPoints[j][1]) < 1e-3, `y ${y}`);
      });
    });
  });
}

function oneLane(score: number, startY: number, len: number, x: number): Float32Array {
  const row = new Float32Array(78);
  row[1] = Math.log(score / (1 - score)); // softmax([0, l])[1] = score
  row[2] = startY;
  row[5] = len / 71;
  row.fill(x, 6);
  return row;
}

test('points map back through the crop: y = cut + y_input * (H - cut) / 320 of the original', () => {
  const raw = oneLane(0.9, 0, 72, 0.5);
  const r = decodeClrNet(raw, {}); // CULane defaults: 1640 x 590, cut 270
  const pts = r.lanes[0].points;
  assert.equal(pts.length, 72);
  assert.ok(Math.abs(pts[0][1] - 270) < 1e-3, 'top row at the cut line');
  assert.ok(Math.abs(pts[71][1] - 590) < 1e-3, 'bottom row at the frame bottom');
  assert.ok(Math.abs(pts[10][0] - 0.5 * 1640) < 1e-3);
});

test('the confidence test is >= (LaneATT uses >)', () => {
  const raw = oneLane(0.75, 0, 40, 0.5);
  const score = decodeClrNet(raw, { conf: 0 }).lanes[0].score;
  assert.equal(decodeClrNet(raw, { conf: score }).lanes.length, 1);
  assert.equal(
    decodeLaneAtt(
      new Float32Array(77).fill(0).map((_, i) => (i === 1 ? raw[1] : i === 4 ? 40 : i >= 5 ? 320 : 0)),
      { conf: score },
    ).lanes.length,
    0,
  );
});

test('NMS runs in pixels of the 800-wide input: lanes 40 px apart merge at threshold 50, not at 30', () => {
  const raw = new Float32Array(78 * 2);
  raw.set(oneLane(0.9, 0, 60, 0.5), 0);
  raw.set(oneLane(0.8, 0, 60, 0.5 + 40 / 799), 78);
  assert.equal(decodeClrNet(raw, { nms: 50 }).lanes.length, 1);
  assert.equal(decodeClrNet(raw, { nms: 30 }).lanes.length, 2);
  assert.throws(() => decodeClrNet(new Float32Array(77)), /N x 78/);
});
