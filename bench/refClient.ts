/**
 * NVIDIA's official Python client (`../shared/triton/reference/ref_client.py bench`, tritonclient
 * over C-core gRPC) as a second reference for the infer benchmark. Not a benchmark by itself
 * (bench/run.ts runs only *.bench.ts). Available only where the shared reference tools and their
 * Debian Python packages are installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVING_NODE_FLAGS } from '../electron/cli/nodeFlags';

/**
 * Untimed calls each side makes before a timed block of the comparison with the official client. At 3,
 * our blocks right after a Python run measured 1.4-2x the same client's steady state (FP16 4.8-5.6 ms
 * against 2.1 ms); at 30 they match it. The official client gets the same number.
 */
export const REF_WARMUP = 30;

const script = resolve(import.meta.dirname, '../../shared/triton/reference/ref_client.py');

/** Why the official client cannot run here, or undefined when it can. */
export function refClientMissing(): string | undefined {
  if (!existsSync(script)) return '../shared/triton/reference not present';
  const py = spawnSync('/usr/bin/python3', ['-c', 'import grpc, google.protobuf, numpy, rapidjson, packaging'], {
    encoding: 'utf8',
  });
  return py.status === 0 ? undefined : 'Debian python3-grpcio/protobuf/numpy/rapidjson missing (shared setup.sh)';
}

/**
 * Median latency (ms) of `n` sequential [1,3,360,640] infers through the official client. Async:
 * the embedded server answering it runs in this process.
 */
export function refClientMedian(url: string, model: string, dtype: 'FP32' | 'FP16', n: number): Promise<number> {
  return new Promise((done, fail) => {
    const args = [
      script,
      'bench',
      url,
      '--n',
      String(n),
      '--warmup',
      String(REF_WARMUP),
      '--model',
      model,
      '--dtype',
      dtype,
    ];
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const m = /latency ms: median=([\d.]+)/.exec(out);
      if (code === 0 && m) done(Number(m[1]));
      else fail(new Error(`ref_client.py bench failed (exit ${code}): ${out.trim().slice(-300)}`));
    });
  });
}

/**
 * `tritonscope serve` in a child process (port 0: any free one), so that in the comparison with the
 * official client neither client shares its process, event loop or core with the server. With the
 * V8 flags the CLI's shebang and package.json script give it.
 */
export function serveInChild(
  repositoryDir: string,
  options: { http?: boolean } = {},
): Promise<{ url: string; httpUrl?: string; stop: () => Promise<void> }> {
  const cli = resolve(import.meta.dirname, '../bin/tritonscope.mjs');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...SERVING_NODE_FLAGS,
      cli,
      'serve',
      '--model-repository',
      repositoryDir,
      '--port',
      '0',
      ...(options.http ? ['--http-port', '0'] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      const http = /HTTP\/REST on http:\/\/(\S+)/.exec(out)?.[1];
      if (m && /Press Ctrl\+C/.test(out)) done({ url: m[1], httpUrl: http, stop });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`tritonscope serve exited (${code}): ${out.trim().slice(-300)}`)));
  });
}
