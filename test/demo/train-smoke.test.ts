/**
 * Training smoke test of scripts/train (our LaneATT in PyTorch): a few iterations on two generated
 * scenes must lower the loss, and the fast "project, then gather" heads must equal LaneATT's own
 * formulation (pool each anchor's features, then one linear layer), training's convolution-backed products
 * must equal the export's matmuls, and the export's operating point
 * (a validation threshold folded into the lane logit) must keep the same anchors at 0.2. Runs only
 * where /usr/bin/python3 has torch, opencv and onnx (`npm run train:setup`); elsewhere it skips with a
 * notice. CI never needs torch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/demo/build';

const PYTHON = '/usr/bin/python3';

test('a few training iterations lower the LaneATT loss; fast heads == LaneATT pooling + linear; the operating point keeps the anchors', (t) => {
  const r = spawnSync(
    PYTHON,
    // One thread: torch's second thread spin-waits between the small ops of a step, and the suite
    // shares two cores (4.0 -> 2.75 s of CPU for this run on a quiet machine).
    [
      join(REPO_ROOT, 'scripts/train/train.py'),
      '--smoke',
      '--smoke-iters',
      '6',
      '--smoke-scenes',
      '2',
      '--threads',
      '1',
    ],
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
    products_max_diff: number;
    parts_gap: number;
    operating_point: { conf: number; mismatch: number; kept: number; anchors: number; order_kept: boolean };
  };
  assert.ok(summary.heads_max_diff < 1e-3, `heads differ by ${summary.heads_max_diff}`);
  // training's 1x1-convolution products (laneatt.mkldnn_products) equal the matmuls the export keeps
  assert.ok(summary.products_max_diff < 1e-4, `products differ by ${summary.products_max_diff}`);
  assert.ok(summary.last < 0.7 * summary.first, `loss ${summary.first} -> ${summary.last}`);
  // the progress log's two regression terms (length, x offsets) add up to the regression loss
  assert.ok(summary.parts_gap < 1e-4, `length + xs differ from reg by ${summary.parts_gap}`);
  // The export's operating point: conf C folded into the lane logit, decoded at LaneATT's 0.2, keeps the
  // same anchors (about half of them here, C being a middle probability) in the same order.
  const op = summary.operating_point;
  assert.equal(op.mismatch, 0, `anchors kept differently at the operating point: ${JSON.stringify(op)}`);
  assert.ok(op.kept > 0.3 * op.anchors && op.kept < 0.7 * op.anchors, JSON.stringify(op));
  assert.ok(op.order_kept, 'the shift keeps the order of the lane probabilities');
});
