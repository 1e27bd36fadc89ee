/**
 * NVIDIA's official Python client over HTTP (tritonclient.http from ../shared/triton/reference/py)
 * against `tritonscope serve --http-port` as a real process: health, metadata, config, infer with
 * binary data in FP32 and FP16 (and compressed bodies), load and unload (with a config override and
 * file: contents), statistics, index, trace/log settings, shared-memory status. Our checker script
 * (test/fixtures/http_client_check.py) drives the client and checks values exactly. Skips with a
 * notice where the client or Debian's python3-gevent / python3-geventhttpclient are missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { makeLaneRepository } from './laneRepo';
import { sharedPath, skipUnlessShared } from '../helpers/shared';

const bin = resolve(import.meta.dirname, '../../bin/tritonscope.mjs');
const checker = resolve(import.meta.dirname, '../fixtures/http_client_check.py');
const clientPath = sharedPath('triton/reference/py');

function missing(): string | undefined {
  const noClient = skipUnlessShared('triton/reference/py/tritonclient/http');
  if (noClient) return noClient;
  const py = spawnSync('/usr/bin/python3', ['-c', 'import gevent, geventhttpclient, numpy, rapidjson'], {
    encoding: 'utf8',
  });
  if (py.status !== 0)
    return 'tritonclient.http needs Debian python3-gevent/geventhttpclient/numpy/rapidjson (not installed)';
  return undefined;
}

test('official tritonclient.http against tritonscope serve --http-port', async (t) => {
  const why = missing();
  if (why) return t.skip(why);
  const repo = makeLaneRepository();
  const server = spawn(
    process.execPath,
    [bin, 'serve', '--model-repository', repo.dir, '--port', '0', '--http-port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serverOut = '';
  server.stdout.on('data', (d) => (serverOut += d));
  server.stderr.on('data', (d) => (serverOut += d));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start: ${serverOut}`)), 60_000);
      server.stdout.on('data', () => serverOut.includes('Press Ctrl+C') && (clearTimeout(timer), done()));
      server.on('exit', (code) => fail(new Error(`serve exited early (${code}): ${serverOut}`)));
    });
    const url = /HTTP\/REST on http:\/\/(\S+)/.exec(serverOut)?.[1];
    assert.ok(url, serverOut);
    const out = await new Promise<string>((done, fail) => {
      const child = spawn('/usr/bin/python3', [checker, url, join(repo.dir, 'laneDetect_model/1/model.onnx')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PYTHONPATH: clientPath },
      });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('error', fail);
      child.on('close', () => done(text));
    });
    const lines = out.trim().split('\n');
    const failed = lines.filter((l) => l.startsWith('FAIL '));
    assert.deepEqual(failed, [], out);
    const passed = lines.filter((l) => l.startsWith('PASS ')).map((l) => l.slice(5));
    for (const must of [
      'health: live and ready',
      'server metadata',
      'model metadata',
      'model config',
      'infer FP32 with binary data',
      'infer FP16 with binary data',
      'unload and load',
      'statistics',
    ])
      assert.ok(passed.includes(must), `${must} did not pass:\n${out}`);
    assert.match(lines[lines.length - 1], /^\d+ passed, 0 failed$/, out);
  } finally {
    server.kill('SIGKILL');
    repo.cleanup();
  }
});
