/**
 * NVIDIA's official Python client (tritonclient.grpc) against the embedded server: every RPC
 * through `../shared/triton/reference/run_check.sh`, on a repository whose names and shapes fit its
 * flags. Skips with a notice where the checker or its Debian Python packages are missing.
 *
 * Checks that cannot pass here by design, each asserted to fail or skip for exactly that reason:
 * - "RepositoryModelLoad (config override)" loads an FP16-input override over the FP32 lane model;
 *   Triton's ONNX Runtime backend refuses that (datatype mismatch with the model file) and so do we.
 * - dtype_echo (BF16 and non-UTF-8 BYTES) and echo_decoupled are Python-backend models: not in this
 *   repository, so the checker skips them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startEmbeddedServer } from '../../electron/server';
import { makeLaneRepository } from './laneRepo';
import { sharedPath, skipUnlessShared } from '../helpers/shared';

const reference = sharedPath('triton/reference');

/** Python modules the checker needs that are not installed, from its own error (importing them once
 * beforehand would cost a second Python start). */
const MISSING_MODULE = /ModuleNotFoundError: No module named '([\w.]+)'|(\/usr\/bin\/python3): No such file/;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', () => done(out));
  });
}

test('official tritonclient checker against tritonscope serve', async (t) => {
  const noChecker = skipUnlessShared('triton/reference/run_check.sh');
  if (noChecker) return t.skip(noChecker);
  const repo = makeLaneRepository();
  const server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadAll: true,
    allowClientShm: true,
  });
  try {
    const out = await run('bash', [resolve(reference, 'run_check.sh'), server.url, '--no-values']);
    const absent = MISSING_MODULE.exec(out);
    const missingModule = absent?.[1] ?? absent?.[2];
    if (missingModule)
      return t.skip(
        `official client needs Debian python3-grpcio/protobuf/numpy/rapidjson (see setup.sh; no module '${missingModule}')`,
      );
    const lines = out.trim().split('\n');
    const failed = lines.filter((l) => l.startsWith('FAIL '));
    const skipped = lines.filter((l) => l.startsWith('SKIP '));
    assert.equal(failed.length, 1, out);
    assert.match(
      failed[0],
      /^FAIL RepositoryModelLoad \(config override\): .*configuration expects datatype TYPE_FP16 for input 'input', model provides TYPE_FP32/,
    );
    assert.deepEqual(
      skipped.map((l) => l.replace(/:.*/, '')),
      [
        'SKIP ModelInfer datatype encodings round trip',
        'SKIP ModelInfer bytes/bool/int contents + FP16 has no contents field',
        'SKIP ModelStreamInfer decoupled',
      ],
      out,
    );
    assert.match(lines[lines.length - 1], /^\d+ passed, 1 failed$/, out);
    assert.ok(
      lines.some((l) => /^PASS SystemSharedMemory .*register\/status\/infer/.test(l)),
      out,
    );
  } finally {
    await server.close();
    repo.cleanup();
  }
});
