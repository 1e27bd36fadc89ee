/**
 * The app reading a server's metrics: the services fetch the profile's metrics URL (the demo's
 * embedded server serves one), parse it into the contract's snapshot (models, CPU, GPUs), refuse
 * bad answers with errors that name the URL and line, and the contract checks the URL field. The
 * shared rate arithmetic (CLI and charts) is checked on its own numbers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { parseRequest, parseResponse, serializeError, type MetricsSnapshot } from '../../shared/contract';
import { defaultMetricsUrl } from '../../shared/metrics/families';
import { intervalRates, lifetimeAverages, sumVersions } from '../../shared/metrics/rates';
import { fetchMetricsText, parseTritonMetrics } from '../../electron/metrics';
import type { Services } from '../../electron/services';
import { f32, makeFixture, makeServices, type Fixture } from './fixtures';

/** What a GPU Triton prints (two GPUs, failures by reason, a histogram and families we do not read). */
const GPU_TRITON = `# HELP nv_inference_request_success Number of successful inference requests, all batch sizes
# TYPE nv_inference_request_success counter
nv_inference_request_success{model="lanes",version="1"} 120
nv_inference_request_success{model="lanes",version="2"} 30
# HELP nv_inference_request_failure Number of failed inference requests, all batch sizes
# TYPE nv_inference_request_failure counter
nv_inference_request_failure{model="lanes",reason="BACKEND",version="1"} 2
nv_inference_request_failure{model="lanes",reason="REJECTED",version="1"} 1
nv_inference_request_failure{model="lanes",reason="OTHER",version="2"} 0
# TYPE nv_inference_count counter
nv_inference_count{model="lanes",version="1"} 240
# TYPE nv_inference_request_duration_us counter
nv_inference_request_duration_us{model="lanes",version="1"} 1200000
# HELP nv_inference_first_response_histogram_ms Duration from request to first response in milliseconds
# TYPE nv_inference_first_response_histogram_ms histogram
nv_inference_first_response_histogram_ms_bucket{model="lanes",version="1",le="100"} 8
nv_inference_first_response_histogram_ms_bucket{model="lanes",version="1",le="+Inf"} 9
nv_inference_first_response_histogram_ms_sum{model="lanes",version="1"} 250
nv_inference_first_response_histogram_ms_count{model="lanes",version="1"} 9
# TYPE nv_pinned_memory_pool_total_bytes gauge
nv_pinned_memory_pool_total_bytes 268435456
# TYPE nv_gpu_utilization gauge
nv_gpu_utilization{gpu_uuid="GPU-b"} 0.25
nv_gpu_utilization{gpu_uuid="GPU-a"} 0.75
# TYPE nv_gpu_memory_used_bytes gauge
nv_gpu_memory_used_bytes{gpu_uuid="GPU-a"} 1073741824
# TYPE nv_gpu_memory_total_bytes gauge
nv_gpu_memory_total_bytes{gpu_uuid="GPU-a"} 17179869184
# TYPE nv_gpu_power_usage gauge
nv_gpu_power_usage{gpu_uuid="GPU-a"} 61.5
# TYPE nv_cpu_utilization gauge
nv_cpu_utilization 0.5
# TYPE nv_cpu_memory_total_bytes gauge
nv_cpu_memory_total_bytes NaN
`;

describe('parsing a Triton metrics answer', () => {
  test('per-model series by (model, version), failures summed over reasons, CPU and per-GPU gauges', () => {
    const p = parseTritonMetrics(GPU_TRITON, 'http://gpu:8002/metrics');
    assert.equal(p.familyCount, 12);
    assert.deepEqual(
      p.models.map((m) => [m.model, m.version, m.requestSuccess, m.requestFailure, m.inferenceCount]),
      [
        ['lanes', '1', 120, 3, 240],
        ['lanes', '2', 30, 0, null],
      ],
    );
    assert.deepEqual(p.models[0].failureReasons, { BACKEND: 2, REJECTED: 1 });
    assert.equal(p.models[0].requestDurationUs, 1_200_000);
    assert.equal(p.models[0].queueDurationUs, null, 'a family the server does not export stays null');
    assert.deepEqual(p.cpu, { utilization: 0.5, memoryTotalBytes: null, memoryUsedBytes: null }, 'NaN -> null');
    assert.deepEqual(p.gpus, [
      {
        uuid: 'GPU-a',
        utilization: 0.75,
        memoryTotalBytes: 17179869184,
        memoryUsedBytes: 1073741824,
        powerUsageWatts: 61.5,
        powerLimitWatts: null,
      },
      {
        uuid: 'GPU-b',
        utilization: 0.25,
        memoryTotalBytes: null,
        memoryUsedBytes: null,
        powerUsageWatts: null,
        powerLimitWatts: null,
      },
    ]);
  });

  test('a Jetson-like answer (no nv_gpu_*) has no GPUs and no CPU section when nv_cpu_* is absent', () => {
    const p = parseTritonMetrics(
      '# TYPE nv_inference_count counter\nnv_inference_count{model="m",version="1"} 1\n',
      'http://orin:8002/metrics',
    );
    assert.deepEqual(p.gpus, []);
    assert.equal(p.cpu, null);
  });

  test('+Inf, -Inf and NaN values (legal in the format) are read as no value, not refused', () => {
    const p = parseTritonMetrics(
      [
        '# TYPE nv_inference_count counter',
        'nv_inference_count{model="m",version="1"} 5',
        '# TYPE nv_gpu_utilization gauge',
        'nv_gpu_utilization{gpu_uuid="GPU-1"} +Inf',
        '# TYPE nv_gpu_power_usage gauge',
        'nv_gpu_power_usage{gpu_uuid="GPU-1"} -Inf',
        '# TYPE nv_gpu_memory_used_bytes gauge',
        'nv_gpu_memory_used_bytes{gpu_uuid="GPU-1"} NaN',
        '',
      ].join('\n'),
      'http://x:8002/metrics',
    );
    assert.equal(p.models[0]?.inferenceCount, 5);
    assert.equal(p.gpus.length, 1);
    assert.equal(p.gpus[0].utilization, null);
    assert.equal(p.gpus[0].powerUsageWatts, null);
    assert.equal(p.gpus[0].memoryUsedBytes, null);
  });

  test('bad answers are refused with the URL, and the line or series at fault', () => {
    const src = 'http://x:8002/metrics';
    const err = (text: string) => {
      try {
        parseTritonMetrics(text, src);
      } catch (e) {
        return serializeError(e);
      }
      assert.fail('expected an error');
    };
    const broken = err(
      '# TYPE nv_inference_count counter\nnv_inference_count{model="m",version="1"} 1\nnv_x{model=m} 3\n',
    );
    assert.equal(broken.code, 'INVALID_ARGUMENT');
    assert.match(broken.message, /^http:\/\/x:8002\/metrics line 3: not Prometheus text format: /);
    // Lines the library lets through with an empty value are refused too, naming the series.
    assert.match(
      err('nv_inference_count{model="m",version="1"} 1\nnv_x{model="m 3\n').message,
      /nv_x: value '' is not a number/,
    );
    assert.match(err('nv_inference_count{model="m",version="1"} 1\nup x 3\n').message, /up: value 'x' is not a number/);
    const nan = err('nv_inference_count{model="m",version="1"} lots\n');
    assert.match(nan.message, /nv_inference_count\{model="m",version="1"\}: value 'lots' is not a number/);
    const empty = err('');
    assert.equal(empty.code, 'FAILED_PRECONDITION');
    assert.match(empty.message, /answered with no metrics at all/);
    assert.match(err('process_cpu_seconds_total 3\nup 1\n').message, /no Triton metrics \(no nv_\* family among 2\)/);
    assert.match(err('<html><body>proxy login</body></html>').message, /no Triton metrics/);
  });
});

describe('fetching a metrics URL', () => {
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      if (req.url === '/missing') return void res.writeHead(404, 'Not Found').end();
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(GPU_TRITON);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return serializeError(e);
    }
    assert.fail('expected a failure');
  };

  test('reads the text; HTTP errors, timeouts and refused connections name the URL', async () => {
    assert.equal(await fetchMetricsText(`${base}/metrics`), GPU_TRITON);
    const missing = await failure(fetchMetricsText(`${base}/missing`));
    assert.deepEqual(missing, { code: 'UNAVAILABLE', message: `${base}/missing: answered HTTP 404 Not Found` });
    const slow = await failure(fetchMetricsText(`${base}/slow`, { timeoutMs: 300 }));
    assert.deepEqual(slow, { code: 'DEADLINE_EXCEEDED', message: `${base}/slow: no answer within 300 ms` });
    const closed = `http://127.0.0.1:1/metrics`;
    const refused = await failure(fetchMetricsText(closed));
    assert.equal(refused.code, 'UNAVAILABLE');
    assert.match(refused.message, /^http:\/\/127\.0\.0\.1:1\/metrics: ECONNREFUSED \(nothing listens there/);
    assert.match((await failure(fetchMetricsText('file:///etc/passwd'))).message, /only http:\/\/ and https:\/\//);
  });
});

describe('the services', () => {
  let fx: Fixture;
  let s: Services;
  before(async () => {
    fx = makeFixture();
    s = await makeServices(fx);
    await s.handlers.startDemo(undefined);
  });
  after(async () => {
    await s?.close();
    fx?.cleanup();
  });

  test("the demo profile names its embedded server's metrics URL, and serverMetrics reads it", async () => {
    const demo = (await s.handlers.listConnections(undefined)).find((p) => p.id === 'demo');
    assert.match(demo?.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const before = await s.handlers.serverMetrics({ connectionId: 'demo' });
    parseResponse('serverMetrics', before);
    assert.equal(before.url, demo?.metricsUrl);
    assert.deepEqual(
      before.models.map((m) => `${m.model}/${m.version}`),
      ['scale2/1'],
    );
    assert.ok(before.cpu && before.cpu.memoryTotalBytes! > 0);
    assert.deepEqual(before.gpus, [], 'the embedded server exports no GPU metrics');
    for (let i = 0; i < 2; i++) {
      await s.handlers.infer({
        connectionId: 'demo',
        model: 'scale2',
        inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6]) }],
      });
    }
    const after = await s.handlers.serverMetrics({ connectionId: 'demo' });
    assert.equal(after.models[0].requestSuccess! - before.models[0].requestSuccess!, 2);
    const [rates] = intervalRates(before, after);
    assert.ok(rates.requestsPerSec! > 0 && rates.avgRequestUs! > 0, JSON.stringify(rates));
  });

  test('a profile without a metrics URL reads its host on port 8002; one with a URL reads that', async () => {
    const plain = await s.handlers.saveConnection({ name: 'orin', url: '127.0.0.1:1' });
    const e = serializeError(await s.handlers.serverMetrics({ connectionId: plain.id }).catch((x: unknown) => x));
    assert.match(e.message, /^http:\/\/127\.0\.0\.1:8002\/metrics: /);
    const demoUrl = (await s.handlers.listConnections(undefined)).find((p) => p.id === 'demo')!.metricsUrl!;
    const named = await s.handlers.saveConnection({ name: 'proxied', url: '127.0.0.1:1', metricsUrl: demoUrl });
    assert.equal((await s.handlers.serverMetrics({ connectionId: named.id })).url, demoUrl);
  });
});

test('the contract: a metrics URL is http(s) without credentials; the default is the host on port 8002', () => {
  const save = (metricsUrl: string) => parseRequest('saveConnection', { name: 'n', url: 'orin:8001', metricsUrl });
  assert.equal(save('http://orin.local:8002/metrics').metricsUrl, 'http://orin.local:8002/metrics');
  save('https://[::1]:9443/triton/metrics');
  for (const bad of ['ftp://orin/metrics', 'orin:8002', 'http://user:pw@orin:8002/metrics', 'http://orin:8002/a b'])
    assert.throws(() => save(bad), /metricsUrl: expected an http:\/\/ or https:\/\/ URL/, bad);
  assert.throws(() => parseRequest('serverMetrics', { connectionId: 'c', url: 'http://evil' }), /url|Unrecognized/);
  assert.equal(defaultMetricsUrl('orin.local:8001'), 'http://orin.local:8002/metrics');
  assert.equal(defaultMetricsUrl('[::1]:8001'), 'http://[::1]:8002/metrics');
  assert.equal(defaultMetricsUrl('https://triton.example:8000/v2'), 'http://triton.example:8002/metrics');
});

describe('rates from two scrapes (shared by the CLI and the charts)', () => {
  const snap = (takenAt: number, models: Partial<MetricsSnapshot['models'][number]>[]): MetricsSnapshot => ({
    takenAt,
    url: 'u',
    cpu: null,
    gpus: [],
    familyCount: 1,
    models: models.map((m) => ({
      model: 'm',
      version: '1',
      requestSuccess: 0,
      requestFailure: 0,
      failureReasons: {},
      inferenceCount: 0,
      execCount: 0,
      requestDurationUs: 0,
      queueDurationUs: 0,
      computeInputDurationUs: 0,
      computeInferDurationUs: 0,
      computeOutputDurationUs: 0,
      pendingRequests: 0,
      ...m,
    })),
  });

  test('per second over the interval; means per successful request; per version or summed per model', () => {
    const a = snap(10_000, [
      { requestSuccess: 10, inferenceCount: 20, requestDurationUs: 1000, queueDurationUs: 100 },
      { version: '2', requestSuccess: 5 },
    ]);
    const b = snap(12_000, [
      {
        requestSuccess: 30,
        inferenceCount: 60,
        requestDurationUs: 5000,
        queueDurationUs: 300,
        computeInferDurationUs: 2000,
      },
      { version: '2', requestSuccess: 9, requestFailure: 2 },
    ]);
    const [v1, v2] = intervalRates(a, b);
    assert.equal(v1.seconds, 2);
    assert.equal(v1.requestsPerSec, 10);
    assert.equal(v1.inferencesPerSec, 20);
    assert.equal(v1.avgRequestUs, 200); // 4000 µs over 20 requests
    assert.equal(v1.avgQueueUs, 10);
    assert.equal(v1.avgComputeInferUs, 100);
    assert.equal(v1.avgComputeUs, 100);
    assert.equal(v2.failuresPerSec, 1);
    const [model] = intervalRates(a, b, true);
    assert.equal(model.version, '1,2');
    assert.equal(model.requestsPerSec, 12);
    assert.equal(sumVersions(b.models)[0].requestFailure, 2);
  });

  test('a counter that went down was reset (reload): its new value is the increase; no requests -> no mean', () => {
    const a = snap(0, [{ requestSuccess: 100, requestDurationUs: 90_000 }]);
    const b = snap(1000, [{ requestSuccess: 4, requestDurationUs: 400 }]);
    const [r] = intervalRates(a, b);
    assert.equal(r.requestsPerSec, 4);
    assert.equal(r.avgRequestUs, 100);
    const [idle] = intervalRates(b, snap(2000, [{ requestSuccess: 4, requestDurationUs: 400 }]));
    assert.equal(idle.requestsPerSec, 0);
    assert.equal(idle.avgRequestUs, null);
    const [life] = lifetimeAverages(a);
    assert.equal(life.avgRequestUs, 900);
    assert.equal(life.requestsPerSec, null);
  });
});
