/**
 * The models table's pure logic (renderer/src/lib/modelRows): what a row's state means (a failed
 * load vs a model unloaded on request, "by you" only for this connection), per-row traffic from
 * cumulative statistics (a reload's counter reset is not traffic), search over names and reasons,
 * the state filter, each sort, and the failed-model names for the banner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRows,
  classify,
  failedNames,
  filterRows,
  nameList,
  rowTraffic,
  sortRows,
  type RowContext,
} from '../../renderer/src/lib/modelRows';
import type { ModelIndexEntry } from '../../shared/contract';
import { statisticsEntry } from '../helpers/modelStatistics';
import type { StatSample } from '../../renderer/src/state/models';

function sample(t: number, count: number, ns: number): StatSample {
  return { t, entry: statisticsEntry(count, ns) };
}

const INDEX: ModelIndexEntry[] = [
  { name: 'b_ready', version: '1', state: 'READY', reason: '' },
  { name: 'a_never', version: '', state: '', reason: '' },
  { name: 'z_failed', version: '1', state: 'UNAVAILABLE', reason: 'onnx runtime error: Protobuf parsing failed' },
  { name: 'c_unloaded', version: '1', state: 'UNAVAILABLE', reason: 'unloaded' },
  { name: 'd_unloaded_elsewhere', version: '1', state: 'UNAVAILABLE', reason: 'unloaded' },
  { name: 'e_failed', version: '', state: 'UNAVAILABLE', reason: 'missing ensemble step' },
  { name: 'f_ready', version: '2', state: 'READY', reason: '' },
];

const ctx = (over: Partial<RowContext> = {}): RowContext => ({
  busy: {},
  unloadedByUser: { 'conn1|c_unloaded': true, 'other|d_unloaded_elsewhere': true },
  connectionId: 'conn1',
  statsHistory: {
    b_ready: [sample(0, 100, 1e9), sample(2000, 120, 1e9 + 20 * 4e6)],
    f_ready: [sample(0, 10, 10 * 2e6), sample(2000, 10, 10 * 2e6)],
  },
  ...over,
});

test('states: failed vs unloaded on request vs never loaded; "by you" only for this connection', () => {
  assert.equal(classify('READY', ''), 'ready');
  assert.equal(classify('UNAVAILABLE', 'unloaded'), 'unloaded');
  assert.equal(classify('UNAVAILABLE', 'failed to load'), 'failed');
  assert.equal(classify('', ''), 'not-loaded');
  assert.equal(classify('LOADING', ''), 'busy');
  const rows = buildRows(INDEX, ctx());
  const by = Object.fromEntries(rows.map((r) => [r.name, r]));
  assert.equal(by.c_unloaded.status, 'unloaded');
  assert.equal(by.c_unloaded.unloadedByYou, true);
  // unloaded through another server's profile (or before this session): unloaded, not "by you"
  assert.equal(by.d_unloaded_elsewhere.unloadedByYou, false);
  assert.deepEqual(failedNames(rows), ['e_failed', 'z_failed'], 'unloaded models are not failures');
  // a load in flight shows as LOADING whatever the server said last
  assert.equal(buildRows(INDEX, ctx({ busy: { z_failed: 'loading' } }))[2].status, 'busy');
});

test('traffic: req/s and mean time over the last interval; since load when idle; a counter reset is not traffic', () => {
  assert.deepEqual(rowTraffic(undefined), { rps: null, avgMs: null, avgSinceLoad: false });
  // one sample: no rate yet, the mean since load
  assert.deepEqual(rowTraffic([sample(0, 10, 30e6)]), { rps: null, avgMs: 3, avgSinceLoad: true });
  // 20 requests in 2 s, 4 ms each
  assert.deepEqual(rowTraffic([sample(0, 100, 1e9), sample(2000, 120, 1e9 + 80e6)]), {
    rps: 10,
    avgMs: 4,
    avgSinceLoad: false,
  });
  // idle interval: 0 req/s, the mean since load (marked so)
  assert.deepEqual(rowTraffic([sample(0, 10, 20e6), sample(2000, 10, 20e6)]), { rps: 0, avgMs: 2, avgSinceLoad: true });
  // reloaded between samples: counters restart, no negative rate
  assert.deepEqual(rowTraffic([sample(0, 500, 1e9), sample(2000, 3, 6e6)]), {
    rps: null,
    avgMs: 2,
    avgSinceLoad: true,
  });
  const rows = buildRows(INDEX, ctx());
  assert.equal(rows.find((r) => r.name === 'b_ready')!.rps, 10);
  assert.equal(rows.find((r) => r.name === 'z_failed')!.rps, null, 'no traffic column for a model not loaded');
});

test('search (names and reasons), state filter and the sorts', () => {
  const rows = buildRows(INDEX, ctx());
  const names = (r: { name: string }[]) => r.map((x) => x.name);
  assert.deepEqual(names(filterRows(rows, 'READY', 'all')), ['b_ready', 'f_ready'], 'case-insensitive name match');
  assert.deepEqual(names(filterRows(rows, 'protobuf', 'all')), ['z_failed'], 'reasons are searched');
  assert.deepEqual(names(filterRows(rows, '', 'unloaded')), ['c_unloaded', 'd_unloaded_elsewhere']);
  assert.deepEqual(names(filterRows(rows, 'c_', 'failed')), []);
  assert.deepEqual(names(sortRows(rows, 'failures')).slice(0, 3), ['e_failed', 'z_failed', 'a_never']);
  assert.deepEqual(names(sortRows(rows, 'name')), [
    'a_never',
    'b_ready',
    'c_unloaded',
    'd_unloaded_elsewhere',
    'e_failed',
    'f_ready',
    'z_failed',
  ]);
  assert.deepEqual(names(sortRows(rows, 'state')), [
    'e_failed',
    'z_failed',
    'b_ready',
    'f_ready',
    'c_unloaded',
    'd_unloaded_elsewhere',
    'a_never',
  ]);
  // busiest first, models without a rate last
  assert.deepEqual(names(sortRows(rows, 'rps')).slice(0, 2), ['b_ready', 'f_ready']);
  assert.deepEqual(names(sortRows(rows, 'latency')).slice(0, 2), ['b_ready', 'f_ready']);
  assert.equal(nameList(['a', 'b', 'c'], 5), 'a, b, c');
  assert.equal(nameList(['a', 'b', 'c', 'd'], 2), 'a, b and 2 more');
});
