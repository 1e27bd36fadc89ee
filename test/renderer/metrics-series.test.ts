/**
 * The metrics view's history (renderer/src/panels/metrics/series): one point per scrape after the
 * first, rates per model with versions summed, a 10-minute window, and list identities that stay
 * put while models and GPUs do not change (so the view does not re-render every second).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricsSnapshot, ModelMetrics } from '../../shared/contract';
import { appendSnapshot, emptyHistory } from '../../renderer/src/panels/metrics/series';

const model = (name: string, version: string, success: number, requestUs: number): ModelMetrics => ({
  model: name,
  version,
  requestSuccess: success,
  requestFailure: 0,
  failureReasons: {},
  inferenceCount: success,
  execCount: success,
  requestDurationUs: requestUs,
  queueDurationUs: 0,
  computeInputDurationUs: 0,
  computeInferDurationUs: requestUs / 2,
  computeOutputDurationUs: 0,
  pendingRequests: 0,
});

const snap = (takenAt: number, models: ModelMetrics[], gpus: MetricsSnapshot['gpus'] = []): MetricsSnapshot => ({
  takenAt,
  url: 'http://x:8002/metrics',
  models,
  cpu: { utilization: 0.25, memoryTotalBytes: 8 * 2 ** 30, memoryUsedBytes: 2 * 2 ** 30 },
  gpus,
  familyCount: 12,
});

test('one point per scrape after the first; per model rates with versions summed; CPU in % and GiB', () => {
  let h = appendSnapshot(emptyHistory(), snap(1_000, [model('lanes', '1', 0, 0), model('lanes', '2', 0, 0)]));
  assert.deepEqual(h.models, {}, 'one scrape gives no rate yet');
  assert.deepEqual(h.modelNames, ['lanes']);
  h = appendSnapshot(h, snap(3_000, [model('lanes', '1', 10, 5000), model('lanes', '2', 10, 3000)]));
  const s = h.models.lanes;
  assert.deepEqual(s.t, [3]);
  assert.deepEqual(s.requestsPerSec, [10]);
  assert.deepEqual(s.requestUs, [400]);
  assert.deepEqual(s.computeUs, [200]);
  assert.equal(s.latest.version, '1,2');
  assert.deepEqual(h.cpu?.utilizationPct, [25, 25]);
  assert.deepEqual(h.cpu?.memoryUsedGiB, [2, 2]);
  assert.equal(h.cpu?.memoryTotalGiB, 8);
});

test('the model and GPU lists keep their identity until a member changes; old points leave the window', () => {
  const gpu = {
    uuid: 'GPU-0',
    utilization: 0.5,
    memoryTotalBytes: 2 ** 31,
    memoryUsedBytes: 2 ** 30,
    powerUsageWatts: 40,
    powerLimitWatts: 60,
  };
  let h = appendSnapshot(emptyHistory(5_000), snap(0, [model('a', '1', 0, 0)], [gpu]));
  const names = h.modelNames;
  const ids = h.gpuIds;
  for (let t = 1_000; t <= 8_000; t += 1_000) h = appendSnapshot(h, snap(t, [model('a', '1', t / 100, t)], [gpu]));
  assert.equal(h.modelNames, names, 'same array: no re-render of the view');
  assert.equal(h.gpuIds, ids);
  assert.deepEqual(h.models.a.t, [3, 4, 5, 6, 7, 8], 'five seconds of window');
  assert.deepEqual(h.gpus['GPU-0'].utilizationPct.slice(-1), [50]);
  assert.deepEqual(h.gpus['GPU-0'].powerWatts.slice(-1), [40]);
  h = appendSnapshot(h, snap(9_000, [model('a', '1', 90, 9000), model('b', '1', 0, 0)]));
  assert.deepEqual(h.modelNames, ['a', 'b']);
  assert.notEqual(h.modelNames, names);
  assert.deepEqual(h.gpuIds, [], 'GPU metrics gone');
});
