/**
 * The embedded server's Prometheus endpoint (--metrics-port) over real loopback HTTP, with
 * inferences over real gRPC: Triton's family names, HELP texts, types and labels; `promtool check
 * metrics` where Debian's prometheus package is installed; counters that move by exactly the
 * requests made, per model and version label; failures under their reason; agreement with
 * ModelStatistics; Triton's answers for other paths and methods; CPU gauges from /proc.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import { CPU_FAMILIES, MODEL_FAMILIES } from '../../shared/metrics/families';
import { f32, makeRepository, type Repo } from './fixtures';

const PROMTOOL = '/usr/bin/promtool';

let repo: Repo;
let server: EmbeddedServer;
let client: TritonClient;

before(async () => {
  repo = makeRepository();
  server = await startEmbeddedServer({
    modelRepository: repo.dir,
    loadModels: ['add_sub', 'scaled', 'strings'],
    metricsPort: 0,
  });
  client = new TritonClient({ url: server.url, timeoutMs: 20_000 });
});

after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
});

async function get(path = '/metrics', method = 'GET') {
  const url = server.metricsUrl!.replace(/\/metrics$/, path);
  const res = await fetch(url, { method });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function scrape(): Promise<string> {
  const r = await get();
  assert.equal(r.status, 200);
  return r.text;
}

/** The value of one series (labels matched exactly), read with the same library the app uses. */
function value(text: string, family: string, labels: Record<string, string> = {}): number | undefined {
  const f = parsePrometheusTextFormat(text).find((x) => x.name === family);
  const s = f?.metrics.find((m) => JSON.stringify(m.labels ?? {}) === JSON.stringify(labels));
  return s ? Number(s.value) : undefined;
}

const addInputs = () => [
  { name: 'A', datatype: 'FP32' as const, shape: [4], data: f32([1, 2, 3, 4]) },
  { name: 'B', datatype: 'FP32' as const, shape: [4], data: f32([4, 3, 2, 1]) },
];

describe('metrics endpoint', () => {
  test("every family of Triton's that we serve, with its HELP text, type and labels", async () => {
    const text = await scrape();
    const families = parsePrometheusTextFormat(text);
    for (const f of [...Object.values(MODEL_FAMILIES), ...Object.values(CPU_FAMILIES)]) {
      const got = families.find((x) => x.name === f.name);
      assert.ok(got, `${f.name} is served`);
      assert.equal(got.help, f.help, `HELP of ${f.name}`);
      assert.equal(got.type, f.type.toUpperCase(), `TYPE of ${f.name}`);
    }
    // Labels exactly as Triton prints them: model and version, plus reason on failures (all four).
    assert.equal(value(text, 'nv_inference_request_success', { model: 'add_sub', version: '1' }), 0);
    assert.equal(value(text, 'nv_inference_count', { model: 'scaled', version: '2' }), 0);
    for (const reason of ['REJECTED', 'CANCELED', 'BACKEND', 'OTHER'])
      assert.equal(value(text, 'nv_inference_request_failure', { model: 'strings', reason, version: '1' }), 0);
    assert.match(text, /^nv_inference_request_success\{model="add_sub",version="1"\} 0$/m);
    // Only loaded versions are listed (as in Triton): 'half' exists in the repository but is not loaded.
    assert.doesNotMatch(text, /model="half"/);
  });

  test(
    'passes promtool check metrics (only the lints that Triton’s own names draw)',
    {
      skip: existsSync(PROMTOOL) ? false : `${PROMTOOL} not installed (Debian package prometheus)`,
    },
    async () => {
      await client.infer({ model: 'add_sub', inputs: addInputs() });
      const text = await scrape();
      const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      // promtool exits 1 on a format error, 3 on lint findings only. Triton's names are fixed: its
      // counters have no _total suffix, some end in _count or _us. Any other finding fails here.
      assert.notEqual(r.status, 1, `promtool found a format error:\n${r.stdout}${r.stderr}`);
      const findings = `${r.stdout}${r.stderr}`.split('\n').filter(Boolean);
      const TRITON_NAME_LINTS = [
        'counter metrics should have "_total" suffix',
        'metric names should not contain abbreviated units',
        'non-histogram and non-summary metrics should not have "_count" suffix',
      ];
      const served = new Set<string>(Object.values(MODEL_FAMILIES).map((f) => f.name));
      const other = findings.filter((line) => {
        const [name, ...rest] = line.split(' ');
        return !(served.has(name) && TRITON_NAME_LINTS.includes(rest.join(' ')));
      });
      assert.deepEqual(other, [], 'promtool findings beyond the naming of Triton’s families');
      assert.ok(r.status === 0 || r.status === 3, `promtool exit ${r.status}`);
    },
  );

  test('counters move by the requests made over gRPC, per model and version label', async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) await client.infer({ model: 'add_sub', inputs: addInputs() });
    // scaled v1 takes a batch of 4: one request, one execution, four inferences.
    const batch = { name: 'INPUT', datatype: 'FP32' as const, shape: [4, 3], data: f32(new Array(12).fill(1)) };
    await client.infer({ model: 'scaled', version: '1', inputs: [batch] });
    const after = await scrape();
    const delta = (family: string, labels: Record<string, string>) =>
      value(after, family, labels)! - value(before, family, labels)!;
    const add = { model: 'add_sub', version: '1' };
    const v1 = { model: 'scaled', version: '1' };
    const v2 = { model: 'scaled', version: '2' };
    assert.equal(delta('nv_inference_request_success', add), 3);
    assert.equal(delta('nv_inference_count', add), 3);
    assert.equal(delta('nv_inference_exec_count', add), 3);
    assert.equal(delta('nv_inference_request_success', v1), 1);
    assert.equal(delta('nv_inference_count', v1), 4);
    assert.equal(delta('nv_inference_exec_count', v1), 1);
    assert.equal(delta('nv_inference_request_success', v2), 0, 'the other version did not move');
    assert.ok(delta('nv_inference_request_duration_us', add) > 0, 'request time grew');
    assert.ok(delta('nv_inference_compute_infer_duration_us', v1) >= 0);
  });

  test('agrees with ModelStatistics: counts equal, each *_duration_us is floor(ns / 1000)', async () => {
    const text = await scrape();
    const stats = await client.modelStatistics();
    assert.ok(stats.length >= 4, 'add_sub, scaled v1 and v2, strings');
    for (const s of stats) {
      const labels = { model: s.name, version: s.version };
      const i = s.inference_stats;
      const us = (ns: string) => Number(BigInt(ns) / 1000n);
      assert.equal(value(text, 'nv_inference_request_success', labels), Number(i.success.count), `${s.name}`);
      assert.equal(value(text, 'nv_inference_count', labels), Number(s.inference_count));
      assert.equal(value(text, 'nv_inference_exec_count', labels), Number(s.execution_count));
      assert.equal(value(text, 'nv_inference_request_duration_us', labels), us(i.success.ns));
      assert.equal(value(text, 'nv_inference_queue_duration_us', labels), us(i.queue.ns));
      assert.equal(value(text, 'nv_inference_compute_input_duration_us', labels), us(i.compute_input.ns));
      assert.equal(value(text, 'nv_inference_compute_infer_duration_us', labels), us(i.compute_infer.ns));
      assert.equal(value(text, 'nv_inference_compute_output_duration_us', labels), us(i.compute_output.ns));
    }
  });

  test('a request that fails while executing counts in nv_inference_request_failure (reason BACKEND); a rejected one nowhere', async () => {
    const labels = (reason: string) => ({ model: 'strings', reason, version: '1' });
    const before = await scrape();
    // Valid framing, but not UTF-8: the ONNX string tensor cannot carry it, so execution fails.
    const notUtf8 = new Uint8Array([2, 0, 0, 0, 0xc3, 0x28, 1, 0, 0, 0, 0x41]);
    await assert.rejects(
      client.infer({ model: 'strings', inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: notUtf8 }] }),
      (e: unknown) => e instanceof TritonError && /not valid UTF-8/.test(e.details),
    );
    // Refused by validation before it is accepted: no statistics, no metrics (Triton's rule).
    await assert.rejects(
      client.infer({
        model: 'add_sub',
        inputs: [addInputs()[0], { ...addInputs()[1], shape: [2], data: f32([1, 2]) }],
        validate: false,
      }),
      TritonError,
    );
    const after = await scrape();
    const d = (family: string, l: Record<string, string>) => value(after, family, l)! - value(before, family, l)!;
    assert.equal(d('nv_inference_request_failure', labels('BACKEND')), 1);
    for (const reason of ['REJECTED', 'CANCELED', 'OTHER'])
      assert.equal(d('nv_inference_request_failure', labels(reason)), 0);
    assert.equal(d('nv_inference_request_success', { model: 'strings', version: '1' }), 0);
    for (const reason of ['REJECTED', 'CANCELED', 'BACKEND', 'OTHER'])
      assert.equal(d('nv_inference_request_failure', { model: 'add_sub', reason, version: '1' }), 0);
    const [s] = await client.modelStatistics('strings');
    assert.equal(s.inference_stats.fail.count, String(value(after, 'nv_inference_request_failure', labels('BACKEND'))));
  });

  test('an unloaded model leaves the metrics; loaded again it starts from zero, as its statistics do', async () => {
    await client.unloadModel('strings');
    assert.doesNotMatch(await scrape(), /model="strings"/);
    await client.loadModel('strings');
    assert.equal(
      value(await scrape(), 'nv_inference_request_failure', { model: 'strings', reason: 'BACKEND', version: '1' }),
      0,
    );
  });

  test("Triton's answers: /metrics/ too, any other GET path an empty 200, other methods 405", async () => {
    const slash = await get('/metrics/');
    assert.equal(slash.status, 200);
    assert.match(slash.text, /^# HELP nv_inference_request_success /m);
    assert.equal((await get('/metrics?x=1')).status, 200);
    const other = await get('/v2/health/live');
    assert.deepEqual([other.status, other.text, other.type], [200, '', 'text/plain; charset=utf-8']);
    const post = await get('/metrics', 'POST');
    assert.equal(post.status, 405);
    assert.deepEqual(JSON.parse(post.text), { error: 'Method Not Allowed' });
    assert.equal((await get()).type, 'text/plain; charset=utf-8');
  });

  test('CPU gauges: memory from /proc/meminfo, utilisation within [0, 1]', async () => {
    const text = await scrape();
    const total = value(text, 'nv_cpu_memory_total_bytes')!;
    const used = value(text, 'nv_cpu_memory_used_bytes')!;
    const util = value(text, 'nv_cpu_utilization')!;
    assert.ok(util >= 0 && util <= 1, `utilization ${util}`);
    assert.ok(used > 0 && used <= total, `used ${used} of ${total}`);
    if (existsSync('/proc/meminfo')) {
      const kib = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
      assert.equal(total, kib * 1024);
    }
  });
});

test('a taken metrics port is a clear start-up error; the server holding it keeps serving', async () => {
  const port = Number(new URL(server.metricsUrl!).port);
  await assert.rejects(
    startEmbeddedServer({ modelRepository: repo.dir, loadModels: [], metricsPort: port }),
    new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(metrics\\): .*EADDRINUSE`),
  );
  assert.match(await scrape(), /model="add_sub"/);
});
