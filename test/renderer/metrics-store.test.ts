/**
 * The Metrics view's store: the read interval a user picks is one of the offered ones, and a new
 * connection's empty history keeps it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_METRICS_INTERVAL_MS,
  METRICS_INTERVALS_MS,
  useMetrics,
} from '../../renderer/src/panels/metrics/metricsStore';

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
