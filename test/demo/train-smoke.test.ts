/**
 * Training smoke test of scripts/train (our LaneATT in PyTorch): a few iterations on two generated
 * scenes must lower the loss, and the fast "project, then gather" heads must equal LaneATT's own
 * formulation (pool each anchor's features, then one linear layer). Runs only where /usr/bin/python3
 * has torch, opencv and onnx (`npm run train:setup`); elsewhere it skips with a notice. CI never needs torch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/demo/build';

const PYTHON = '/usr/bin/python3';

test('a few training iterations lower the LaneATT loss; fast heads == LaneATT pooling + linear', (t) => {
  const r = spawnSync(
    PYTHON,
    [join(REPO_ROOT, 'scripts/train/train.py'), '--smoke', '--smoke-iters', '6', '--smoke-scenes', '2'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  // Asking Python once (not a separate import probe first): importing torch costs seconds.
  const missing = /ModuleNotFoundError: No module named '(torch|cv2|numpy)'/.exec(r.stderr ?? '');
  if (r.error || missing)
    return t.skip(`${PYTHON} has no ${missing?.[1] ?? 'python'} (npm run train:setup installs torch, opencv, onnx)`);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    first: number;
    last: number;
    min: number;
    heads_max_diff: number;
  };
  assert.ok(summary.heads_max_diff < 1e-3, `heads differ by ${summary.heads_max_diff}`);
  assert.ok(summary.last < 0.7 * summary.first, `loss ${summary.first} -> ${summary.last}`);
});
