/**
 * The Metrics view's store: the read interval a user picks is one of the offered ones, a new
 * connection's empty history keeps it, and the next start reads it back from localStorage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_METRICS_INTERVAL_MS,
  METRICS_INTERVALS_MS,
  storedMetricsInterval,
  useMetrics,
} from '../../renderer/src/panels/metrics/metricsStore';
import { delayUntilNextRead } from '../../renderer/src/panels/metrics/readCadence';

test('the read interval: 1 s by default, only an offered value is taken, kept across a reset', () => {
  const store = useMetrics.getState();
  assert.equal(store.intervalMs, DEFAULT_METRICS_INTERVAL_MS);
  assert.equal(DEFAULT_METRICS_INTERVAL_MS, 1000);
  store.setIntervalMs(500);
  assert.equal(useMetrics.getState().intervalMs, 500);
  for (const bad of [0, -1, 250, Number.NaN, 1e9]) {
    useMetrics.getState().setIntervalMs(bad);
    assert.equal(useMetrics.getState().intervalMs, 500, `${bad} is refused`);
  }
  useMetrics.getState().reset('demo');
  assert.equal(useMetrics.getState().intervalMs, 500, 'a new connection keeps the interval');
  assert.ok(
    METRICS_INTERVALS_MS.every((ms) => ms >= 500),
    'no interval under half a second',
  );
});

test('the picked interval is kept for the next start; a stored value not offered is ignored', () => {
  // Node has no localStorage: a Map-backed one stands in for the browser's, and goes afterwards.
  const stored = new Map<string, string>();
  const storage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, v),
  };
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
  try {
    assert.equal(storedMetricsInterval(), DEFAULT_METRICS_INTERVAL_MS, 'nothing stored: the default');
    useMetrics.getState().setIntervalMs(2000);
    assert.equal(storedMetricsInterval(), 2000, 'what was picked comes back');
    useMetrics.getState().setIntervalMs(250);
    assert.equal(storedMetricsInterval(), 2000, 'a refused value is not stored');
    for (const bad of ['250', 'abc', '']) {
      stored.set('tritonscope.metricsIntervalMs', bad);
      assert.equal(storedMetricsInterval(), DEFAULT_METRICS_INTERVAL_MS, `stored ${JSON.stringify(bad)}`);
    }
  } finally {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  }
});

test('read cadence: the next read is due an interval after the last one started, not after it ended', () => {
  // Five reads at 0.5 s that each take 0.3 s start 0.5 s apart, not 0.8 s.
  let start = 0;
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    starts.push(start);
    const end = start + 300;
    start = end + delayUntilNextRead({ startedAt: start, endedAt: end, delayMs: 500, failed: false });
  }
  assert.deepEqual(starts, [0, 500, 1000, 1500, 2000]);
  assert.equal(
    delayUntilNextRead({ startedAt: 0, endedAt: 700, delayMs: 500, failed: false }),
    300,
    'a read slower than the interval skips the tick it missed: the next starts at 1.0 s, not at once',
  );
  assert.equal(delayUntilNextRead({ startedAt: 100, endedAt: 100, delayMs: 500, failed: false }), 500);
  assert.equal(
    delayUntilNextRead({ startedAt: 0, endedAt: 4000, delayMs: 2000, failed: true }),
    2000,
    'after a failure the back-off counts from when it failed',
  );
});
