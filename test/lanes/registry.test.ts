import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decoderNames, decoders, getDecoder, suggestDecoders } from '../../shared/lanes/registry';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import { LaneDecodeError } from '../../shared/lanes/errors';
import { syntheticRoad, syntheticRows, syntheticUfldTusimple } from './synthetic';

const names = (shape: number[]) => suggestDecoders(shape).map((s) => `${s.name}:${s.confidence}`);

test('suggestions from output shapes', () => {
  assert.deepEqual(names([2784, 77]), ['laneatt:exact']);
  assert.deepEqual(names([1, 2784, 77]), ['laneatt:exact']);
  assert.deepEqual(names([-1, 2784, 77]), ['laneatt:exact']);
  assert.deepEqual(names([1000, 77]), ['laneatt:exact']);
  assert.deepEqual(names([500, 77]), ['laneatt:possible']);
  assert.deepEqual(names([1, 101, 56, 4]), ['ufld:exact']);
  assert.deepEqual(names([1, 201, 18, 4]), ['ufld:exact']);
  assert.deepEqual(names([-1, 101, 56, 4]), ['ufld:exact']);
  assert.deepEqual(names([1, 51, 30, 4]), ['ufld:possible']);
  assert.deepEqual(names([1, 192, 78]), ['clrnet:exact']);
  assert.deepEqual(names([192, 78]), ['clrnet:exact']);
  assert.deepEqual(names([1, 3, 360, 640]), []);
  assert.deepEqual(names([1000]), []);
  assert.deepEqual(names([]), []);
  assert.match(suggestDecoders([2784, 77])[0].reason, /2784/);
});

test('every decoder describes itself for the UI', () => {
  for (const name of decoderNames) {
    const d = getDecoder(name);
    assert.equal(d.name, name);
    assert.ok(d.label.length > 0 && d.description.length > 0);
    for (const o of d.options) {
      assert.ok(o.key && o.label && o.description);
      if (o.kind === 'number' || o.kind === 'integer') assert.ok(o.min! < o.max! && o.step! > 0, `${name}.${o.key}`);
      if (o.kind === 'choice') assert.ok(o.choices!.length > 1);
    }
  }
  const la = decoders.laneatt;
  assert.deepEqual(
    la.options.map((o) => o.key),
    ['conf', 'nms', 'topk', 'scoresAreProbs'],
  );
  assert.equal(la.defaults.conf, 0.5);
  assert.deepEqual(la.presets.tusimple, { conf: 0.2, nms: 45, topk: 5 });
  assert.throws(() => getDecoder('yolo'), /unknown decoder 'yolo'/);
});

test('registry decode equals the direct decode; batch outputs pick the image by batchIndex', () => {
  const raw = syntheticRoad();
  const other = new Float32Array(raw.length);
  other.set(syntheticRows([{ logit: 5, startRow: 0, length: 60, x: 200 }]));
  const direct = decodeLaneAtt(raw, { origW: 1640, origH: 590 });
  assert.equal(direct.lanes.length, 4);
  const viaRegistry = decoders.laneatt.decode(raw, [1, 2784, 77], { origW: 1640, origH: 590 });
  assert.deepEqual(viaRegistry.lanes, direct.lanes);
  const batch = new Float32Array(raw.length * 2);
  batch.set(other, 0);
  batch.set(raw, raw.length);
  assert.deepEqual(
    decoders.laneatt.decode(batch, [2, 2784, 77], { batchIndex: 1, origW: 1640, origH: 590 }).lanes,
    direct.lanes,
  );
  assert.throws(() => decoders.laneatt.decode(batch, [2, 2784, 77], { batchIndex: 2 }), /batchIndex 2/);
  assert.throws(
    () => decoders.laneatt.decode(raw, [2784, 78]),
    (e: Error) => e instanceof LaneDecodeError && /\[N, 77\]/.test(e.message),
  );
  assert.throws(() => decoders.laneatt.decode(raw, [1000, 77]), /needs 77000 float32/);
  assert.throws(() => decoders.laneatt.decode(raw, [-1, 2784, 77]), /dynamic/);

  const c = syntheticUfldTusimple();
  const u = decoders.ufld.decode(c.raw, c.shape);
  assert.equal(u.dataset, 'tusimple');
  assert.equal(u.lanes.length, 3);
});
