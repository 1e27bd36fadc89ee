/**
 * The deployment's Python client code, word for word as the team runs it against their Orin (issue
 * #8), with NVIDIA's official tritonclient (../shared/triton/reference/py) against `tritonscope serve`
 * on the demo repository: FP16 `input` [1,3,360,640] to LaneDet_fp16, outputs `predict_lanes` and
 * `914`. Skips with a notice where the official client or its Debian Python packages are missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { DEMO_REPO_DIR } from '../../scripts/demo/build';
import { sharedPath, skipUnlessShared } from '../helpers/shared';

const CLIENT_DIR = 'triton/reference/py';
const MISSING_MODULE = /ModuleNotFoundError: No module named '([\w.]+)'/;

/** The README's snippet verbatim between the connection and the checks. */
const script = (url: string) => `
import numpy as np
import tritonclient.grpc as grpcclient
client = grpcclient.InferenceServerClient(url='${url}')

inputs = [grpcclient.InferInput('input', [1, 3, 360, 640], 'FP16')]
outputs = [grpcclient.InferRequestedOutput('predict_lanes'), grpcclient.InferRequestedOutput('914')]
inputs[0].set_data_from_numpy(np.random.random([1, 3, 360, 640]).astype(np.float16))
result = client.infer('LaneDet_fp16', inputs=inputs, outputs=outputs)
lanes = result.as_numpy('predict_lanes')

probs = result.as_numpy('914')
print('predict_lanes', lanes.dtype, list(lanes.shape))
print('914', probs.dtype, list(probs.shape))
print('finite', bool(np.isfinite(lanes).all()), 'probabilities', bool(((probs >= 0) & (probs <= 1)).all()))
`;

function python(code: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/python3', ['-c', code], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONPATH: sharedPath(CLIENT_DIR) },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', () => done(out));
  });
}

test("the deployment's client code runs unchanged against `tritonscope serve` on the demo repository", async (t) => {
  const absent = skipUnlessShared(CLIENT_DIR);
  if (absent) return t.skip(absent);
  const bin = resolve(import.meta.dirname, '../../bin/tritonscope.mjs');
  const child = spawn(process.execPath, [bin, 'serve', '--model-repository', DEMO_REPO_DIR, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start: ${out}`)), 30_000);
      child.stdout.on('data', () => out.includes('Press Ctrl+C') && (clearTimeout(timer), done()));
      child.on('exit', (code) => fail(new Error(`serve exited early (${code}): ${out}`)));
    });
    assert.match(out, /LaneDet_fp16: v1 READY/);
    const url = /listening on (127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    const result = await python(script(url));
    const missing = MISSING_MODULE.exec(result)?.[1];
    if (missing) return t.skip(`official client needs Debian python3-grpcio/protobuf/numpy (no module '${missing}')`);
    assert.match(result, /^predict_lanes float32 \[1, 2784, 77\]$/m, result);
    assert.match(result, /^914 float32 \[1, 2784\]$/m, result);
    assert.match(result, /^finite True probabilities True$/m, result);
  } finally {
    child.kill('SIGKILL');
  }
});
