import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeUfld, ufldDatasetOf, ufldReport } from '../../shared/lanes/ufld';
import { LaneDecodeError } from '../../shared/lanes/errors';
import { tusimpleFrameScore } from '../../shared/lanes/tusimpleMetric';
import { assertDeepClose, readF32, readJson, UFLD_DIR } from './helpers';
import { hasShared, skipUnlessShared } from '../helpers/shared';
import { syntheticUfld, syntheticUfldTusimple } from './synthetic';

const vectors = skipUnlessShared('lanes/vectors/ufld');
const cases: { name: string; input: string; shape: number[]; args: string[] }[] = hasShared('lanes/vectors/ufld')
  ? readJson(join(UFLD_DIR, 'cases.json'))
  : [];

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

test('there are UFLD vectors to check', { skip: vectors }, () => assert.ok(cases.length >= 3));

for (const c of cases) {
  test(`UFLD vector ${c.name} decodes to its expected JSON`, () => {
    const want = readJson(join(UFLD_DIR, `${c.name}.json`));
    const result = decodeUfld(readF32(join(UFLD_DIR, c.input)), c.shape, {
      dataset: flag(c.args, '--dataset') as any,
      mode: flag(c.args, '--mode') as any,
    });
    assertDeepClose(ufldReport(result), want, () => 1e-3);
  });
}

test('the dataset and the default decode follow the shape', () => {
  assert.equal(ufldDatasetOf([1, 101, 56, 4]), 'tusimple');
  assert.equal(ufldDatasetOf([201, 18, 4]), 'culane');
  assert.equal(ufldDatasetOf([1, 51, 56, 4]), null);
  // CULane [1, 201, 18, 4]: four lanes present on every row anchor.
  const c = syntheticUfld(200, 18, 4, (l, r) => 20 + l * 50 + r);
  const r = decodeUfld(c.raw, c.shape);
  assert.equal(r.mode, 'culane-eval');
  assert.equal(r.lanes.length, 4);
});

test('tusimple-eval lanes score against the synthetic truth the vector README describes', { skip: vectors }, () => {
  const c = cases.find((x) => x.name === 'ufld_tusimple_3lanes')!;
  const r = decodeUfld(readF32(join(UFLD_DIR, c.input)), c.shape);
  const t = r.tusimple!;
  assert.equal(t.lanes.length, 4);
  assert.ok(
    t.lanes[3].every((x) => x === -2),
    'slot 3 is absent everywhere but still emitted',
  );
  assert.equal(r.lanes.length, 3, 'Lane objects only for slots with points');
  // Rows above y = 260 are absent in every slot.
  for (const xs of t.lanes) xs.forEach((x, i) => t.h_samples[i] < 260 && assert.equal(x, -2));
  // Scoring the decode against itself is perfect (sanity of the TuSimple format it produces).
  assert.equal(tusimpleFrameScore(t.lanes.slice(0, 3), t.lanes.slice(0, 3), t.h_samples).accuracy, 1);
  for (const l of r.lanes) assert.ok(l.score > 0.5 && l.score <= 1);
});

test('synthetic TuSimple output: 4 slots emitted, 3 lanes drawn, absent rows are -2', () => {
  const { raw, shape } = syntheticUfldTusimple();
  const r = decodeUfld(raw, shape);
  const t = r.tusimple!;
  assert.equal(t.lanes.length, 4);
  assert.ok(t.lanes[3].every((x) => x === -2));
  assert.equal(r.lanes.length, 3);
  // Row anchors 0..19 are absent in every slot, 20..55 present in slots 0..2.
  for (const xs of t.lanes.slice(0, 3)) xs.forEach((x, i) => assert.equal(x >= 0, i >= 20, `row ${i}`));
  // x = round((cell + 0.5) * 1280 / 99) for a one-hot cell.
  assert.ok(Math.abs(t.lanes[1][20] - Math.round(((15 + 30 + 0.5) * 1280) / 99)) <= 1);
});

test('demo mode scales to any frame size', () => {
  const c = { ...syntheticUfldTusimple() };
  const raw = c.raw;
  const a = decodeUfld(raw, c.shape, { mode: 'demo' });
  const b = decodeUfld(raw, c.shape, { mode: 'demo', origW: 640, origH: 360 });
  assert.equal(a.lanes.length, 3);
  assert.equal(b.lanes.length, 3);
  a.lanes.forEach((l, i) =>
    l.points.forEach(([x, y], j) => {
      assert.ok(Math.abs((x + 1) / 2 - (b.lanes[i].points[j][0] + 1)) <= 1);
      assert.ok(Math.abs((y + 1) / 2 - (b.lanes[i].points[j][1] + 1)) <= 1);
    }),
  );
});

test('a lane with only 2 present rows is not drawn in culane-eval/demo (needs > 2)', () => {
  const G = 100,
    R = 56,
    L = 1;
  const raw = new Float32Array((G + 1) * R * L);
  for (let r = 0; r < R; r++) raw[(G * R + r) * L] = 10; // absent everywhere
  for (const r of [40, 41]) {
    raw[(G * R + r) * L] = 0;
    raw[(50 * R + r) * L] = 10;
  }
  const shape = [1, G + 1, R, L];
  assert.equal(decodeUfld(raw, shape, { dataset: 'tusimple', mode: 'demo' }).lanes.length, 0);
  const t = decodeUfld(raw, shape, { dataset: 'tusimple' });
  assert.equal(t.tusimple!.lanes[0].filter((x) => x >= 0).length, 2);
  // x = round((50 + 0.5) * 1280 / 99) for a one-hot cell 50 (logit 10 dominates the softmax).
  assert.ok(Math.abs(t.tusimple!.lanes[0][40] - Math.round((50.5 * 1280) / 99)) <= 1);
  // One more present row and the demo decode draws it.
  raw[(G * R + 42) * L] = 0;
  raw[(50 * R + 42) * L] = 10;
  assert.equal(decodeUfld(raw, shape, { dataset: 'tusimple', mode: 'demo' }).lanes.length, 1);
});

test('wrong sizes and unknown shapes are clear errors', () => {
  assert.throws(
    () => decodeUfld(new Float32Array(10), [1, 101, 56, 4]),
    (e: Error) => e instanceof LaneDecodeError && /22624 float32/.test(e.message),
  );
  assert.throws(() => decodeUfld(new Float32Array(51 * 10 * 4), [1, 51, 10, 4]), /dataset/);
  assert.throws(() => decodeUfld(new Float32Array(4), [2, 2]), /shape/);
  assert.throws(
    () => decodeUfld(new Float32Array(101 * 56 * 4), [1, 101, 56, 4], { dataset: 'culane' }),
    /row anchors/,
  );
});

test('evaluation modes keep the upstream points but scale Lane.points to a given frame', () => {
  const c = syntheticUfldTusimple();
  const raw = c.raw;
  const native = decodeUfld(raw, c.shape);
  const scaled = decodeUfld(raw, c.shape, { origW: 640, origH: 360 });
  assert.deepEqual(ufldReport(scaled), ufldReport(native), 'the report stays the upstream decode');
  scaled.lanes.forEach((l, i) => {
    assert.deepEqual(l.upstreamPoints, native.lanes[i].points);
    l.points.forEach(([x, y], j) => {
      assert.equal(x, native.lanes[i].points[j][0] / 2);
      assert.equal(y, native.lanes[i].points[j][1] / 2);
    });
  });
});
