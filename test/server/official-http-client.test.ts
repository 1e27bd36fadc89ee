/**
 * NVIDIA's official Python client over HTTP (tritonclient.http from ../shared/triton/reference/py)
 * against the embedded server's HTTP/REST port (what `tritonscope serve --http-port` starts; the
 * command itself is tested in test/triton-client/http-cli.test.ts): health, metadata, config, infer with
 * binary data in FP32 and FP16 (and compressed bodies), load and unload (with a config override and
 * file: contents), statistics, index, trace/log settings, shared-memory status. Our checker script
 * (test/fixtures/http_client_check.py) drives the client and checks values exactly. Skips with a
 * notice where the client or Debian's python3-gevent / python3-geventhttpclient are missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startEmbeddedServer } from '../../electron/server';
import { makeLaneRepository } from './laneRepo';
import { sharedPath, skipUnlessShared } from '../helpers/shared';

const checker = resolve(import.meta.dirname, '../fixtures/http_client_check.py');
const clientPath = sharedPath('triton/reference/py');

/** Python modules the client needs that are not installed, from the checker's own error (importing
 * them once beforehand would cost a second Python start). */
const MISSING_MODULE = /ModuleNotFoundError: No module named '([\w.]+)'/;

test('official tritonclient.http against the embedded server over HTTP/REST', async (t) => {
  const noClient = skipUnlessShared('triton/reference/py/tritonclient/http');
  if (noClient) return t.skip(noClient);
  const repo = makeLaneRepository();
  const server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadAll: true,
    httpPort: 0,
  });
  try {
    const url = server.httpUrl?.replace(/^http:\/\//, '');
    assert.ok(url, 'the server has an HTTP/REST port');
    const out = await new Promise<string>((done, fail) => {
      const child = spawn('/usr/bin/python3', [checker, url, join(repo.dir, 'laneDetect_model/1/model.onnx')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PYTHONPATH: clientPath },
      });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      // No /usr/bin/python3 at all: the same skip as a missing module.
      child.on('error', (e: NodeJS.ErrnoException) =>
        e.code === 'ENOENT' ? done("ModuleNotFoundError: No module named 'python3'") : fail(e),
      );
      child.on('close', () => done(text));
    });
    const missingModule = MISSING_MODULE.exec(out)?.[1];
    if (missingModule)
      return t.skip(
        `tritonclient.http needs Debian python3-gevent/geventhttpclient/numpy/rapidjson (no module '${missingModule}')`,
      );
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
    await server.close();
    repo.cleanup();
  }
});
