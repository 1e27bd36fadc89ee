/**
 * CULane F1 (official evaluator, METRICS.md section 4): IoU of 30 px wide lane masks on the
 * 1640x590 frame, maximum-weight (Hungarian) matching of GT and predicted lanes, a match counts as
 * a true positive when IoU > 0.5 (strict); TP/FP/FN summed over frames give P, R, F1.
 * Lanes with fewer than 2 points follow the C++ evaluator: they count, with similarity 0.
 */
import { maxWeightAssignment } from './hungarian';
import { maskIou, rasterizeLane, type MaskOptions } from './laneMask';
import type { Point } from './types';

export interface CulaneMetricOptions extends MaskOptions {
  /** Match threshold (strict >). Default 0.5. */
  iouThreshold?: number;
}

export interface CulaneFrameScore {
  tp: number;
  fp: number;
  fn: number;
  /** ious[g][p]: IoU of GT lane g and predicted lane p. */
  ious: number[][];
  /** For each GT lane the matched prediction index (a true positive), or -1. */
  gtMatch: number[];
}

export interface CulaneScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  frames: CulaneFrameScore[];
}

/** IoU matrix [gt][pred] of the lanes' masks. */
export function culaneIouMatrix(
  pred: readonly (readonly Point[])[],
  gt: readonly (readonly Point[])[],
  options: CulaneMetricOptions = {},
): number[][] {
  const predMasks = pred.map((l) => rasterizeLane(l, options));
  return gt.map((g) => {
    const gm = rasterizeLane(g, options);
    return predMasks.map((pm) => (gm.area && pm.area ? maskIou(gm, pm) : 0));
  });
}

/** TP/FP/FN of one frame. */
export function culaneFrameScore(
  pred: readonly (readonly Point[])[],
  gt: readonly (readonly Point[])[],
  options: CulaneMetricOptions = {},
): CulaneFrameScore {
  const thr = options.iouThreshold ?? 0.5;
  if (gt.length === 0) return { tp: 0, fp: pred.length, fn: 0, ious: [], gtMatch: [] };
  if (pred.length === 0) return { tp: 0, fp: 0, fn: gt.length, ious: gt.map(() => []), gtMatch: gt.map(() => -1) };
  const ious = culaneIouMatrix(pred, gt, options);
  const match = maxWeightAssignment(ious);
  let tp = 0;
  const gtMatch = match.map((p, g) => {
    if (p >= 0 && ious[g][p] > thr) {
      tp++;
      return p;
    }
    return -1;
  });
  return { tp, fp: pred.length - tp, fn: gt.length - tp, ious, gtMatch };
}

/**
 * CULane precision/recall/F1 over a list of frames (`pred[i]` and `gt[i]` are the lanes of frame i,
 * e.g. from parseCulaneLines). A single frame may be passed as `[lanes]`.
 */
export function culaneF1(
  pred: readonly (readonly (readonly Point[])[])[],
  gt: readonly (readonly (readonly Point[])[])[],
  options: CulaneMetricOptions = {},
): CulaneScore {
  if (pred.length !== gt.length) {
    throw new Error(`culaneF1: ${pred.length} prediction frames for ${gt.length} GT frames`);
  }
  let tp = 0,
    fp = 0,
    fn = 0;
  const frames = gt.map((g, i) => {
    const s = culaneFrameScore(pred[i], g, options);
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
    return s;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1, frames };
}
