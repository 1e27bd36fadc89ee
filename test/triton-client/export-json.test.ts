/**
 * What the CLI prints and the exports write as JSON (shared/exportJson), and the infer summary of an
 * output that overflowed: NaN and Infinity stay visible instead of turning into null or a mean of NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportJson } from '../../shared/exportJson';
import { summariseOutput } from '../../electron/cli/commands/infer';

test('NaN and ±Infinity are written as strings, bigints as decimal strings; the rest as JSON.stringify does', () => {
  const text = exportJson({ maxAbs: NaN, hi: Infinity, lo: -Infinity, n: 2n ** 64n - 1n, ok: 1.5, list: [NaN, 0] });
  assert.deepEqual(JSON.parse(text), {
    maxAbs: 'NaN',
    hi: 'Infinity',
    lo: '-Infinity',
    n: '18446744073709551615',
    ok: 1.5,
    list: ['NaN', 0],
  });
  assert.equal(exportJson({ a: 1 }), JSON.stringify({ a: 1 }, null, 2));
});

test('infer summary: min/max/mean over the finite values, and how many are not', () => {
  const values = new Float32Array([1, NaN, 3, Infinity, -Infinity, 5]);
  const s = summariseOutput({
    name: 'predict_lanes',
    datatype: 'FP32',
    shape: [6],
    data: new Uint8Array(values.buffer),
    parameters: {},
  });
  assert.equal(s.min, 1);
  assert.equal(s.max, 5);
  assert.equal(s.mean, 3);
  assert.equal(s.elements, 6);
  assert.equal(s.nonFinite, 3);
  const clean = summariseOutput({
    name: 'o',
    datatype: 'FP32',
    shape: [2],
    data: new Uint8Array(new Float32Array([2, 4]).buffer),
    parameters: {},
  });
  assert.equal(clean.nonFinite, undefined);
  assert.equal(clean.mean, 3);
});
