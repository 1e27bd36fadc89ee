/**
 * `tritonscope serve --metrics-port` as a real process and `tritonscope metrics` through the CLI's
 * main() (test/helpers/cli.ts): the server prints its metrics URL, the metrics command reads it while inferences run over gRPC and reports
 * exactly those requests as a rate, prints the raw text with --raw, and fails in one line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { TritonClient } from '../../electron/triton';
import { f32, makeRepository, type Repo } from './fixtures';
import { cliHost, type CliHost, type CliResult } from '../helpers/cli';

const repoRoot = resolve(import.meta.dirname, '../..');
const bin = resolve(repoRoot, 'bin/tritonscope.mjs');

let repo: Repo;
let child: ChildProcess;
let grpcUrl = '';
let metricsUrl = '';

let host: CliHost;

/** `tritonscope metrics` through the CLI's main() (the server below is the real binary). */
function cli(...args: string[]): Promise<CliResult> {
  return host.run(args);
}

before(async () => {
  host = cliHost();
  repo = makeRepository();
  child = spawn(
    process.execPath,
    [bin, 'serve', '--model-repository', repo.dir, '--port', '0', '--metrics-port', '0', '--load-model', 'add_sub'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        done();
      }
    });
    child.on('exit', (code) => fail(new Error(`serve exited early (${code})`)));
  });
  grpcUrl = /listening on (127\.0\.0\.1:\d+)/.exec(out)![1];
  metricsUrl = /Prometheus metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(out)?.[1] ?? '';
  assert.ok(metricsUrl, `serve prints its metrics URL: ${out}`);
});

after(() => {
  host?.close();
  child?.kill('SIGKILL');
  repo?.cleanup();
});

test('metrics --json: the requests made during the interval, as a rate and mean times', async () => {
  const client = new TritonClient({ url: grpcUrl });
  const inputs = [
    { name: 'A', datatype: 'FP32' as const, shape: [4], data: f32([1, 2, 3, 4]) },
    { name: 'B', datatype: 'FP32' as const, shape: [4], data: f32([1, 1, 1, 1]) },
  ];
  try {
    // Inferences run for as long as the CLI does (its start-up time varies with the machine's
    // load), so its two scrapes, 1.5 s apart, always have some between them.
    let made = 0;
    let running = true;
    const run = cli('metrics', '--metrics-url', metricsUrl, '--interval-ms', '1500', '--json').finally(
      () => (running = false),
    );
    while (running) {
      await client.infer({ model: 'add_sub', inputs });
      made++;
      await new Promise((r) => setTimeout(r, 50));
    }
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      url: string;
      intervalSeconds: number;
      models: {
        model: string;
        version: string;
        requestsPerSec: number;
        inferencesPerSec: number;
        avgRequestUs: number;
      }[];
      totals: { model: string; requestSuccess: number }[];
      gpus: unknown[];
    };
    assert.equal(out.url, metricsUrl);
    assert.ok(out.intervalSeconds >= 1.5, `interval ${out.intervalSeconds} s`);
    const row = out.models.find((m) => m.model === 'add_sub' && m.version === '1');
    assert.ok(row, r.stdout);
    const inInterval = Math.round(row.requestsPerSec * out.intervalSeconds);
    const total = out.totals.find((m) => m.model === 'add_sub')!.requestSuccess;
    assert.ok(
      inInterval >= 1 && inInterval <= total && total <= made,
      `${inInterval} in the interval, ${total} counted, ${made} made`,
    );
    assert.equal(row.inferencesPerSec, row.requestsPerSec, 'batch 1: one inference per request');
    assert.ok(row.avgRequestUs > 0);
    assert.deepEqual(out.gpus, []);
  } finally {
    client.close();
  }
});

test('metrics as a table, and --raw prints the text as served', async () => {
  const table = await cli('metrics', '--metrics-url', metricsUrl, '--interval-ms', '0');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /\(means since the counters started\)/);
  assert.match(table.stdout, /^MODEL +VERSION +REQ\/S +INFER\/S +FAIL\/S +REQUEST_US/m);
  assert.match(table.stdout, /^add_sub +1 +- +- +- +\d+ /m);
  assert.match(table.stdout, /^CPU: [\d.]+% busy, memory [\d.]+ GiB of [\d.]+ GiB$/m);
  assert.match(table.stdout, /^GPU: no nv_gpu_\* metrics \(Triton exports none on Jetson/m);
  const raw = await cli('metrics', '--metrics-url', metricsUrl, '--raw');
  assert.equal(raw.code, 0, raw.stderr);
  assert.match(
    raw.stdout,
    /^# HELP nv_inference_request_success Number of successful inference requests, all batch sizes$/m,
  );
  assert.match(raw.stdout, /^nv_inference_request_success\{model="add_sub",version="1"\} \d+$/m);
});

test('failures are one line: nothing on port 8002 of --url, a bad interval', async () => {
  const refused = await cli('metrics', '--url', '127.0.0.1:1', '--interval-ms', '0');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^tritonscope metrics: http:\/\/127\.0\.0\.1:8002\/metrics: ECONNREFUSED/);
  assert.equal(refused.stderr.trim().split('\n').length, 1);
  const bad = await cli('metrics', '--interval-ms', 'soon');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--interval-ms must be an integer/);
});
