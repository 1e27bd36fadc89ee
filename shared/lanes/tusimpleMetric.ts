/**
 * The official TuSimple lane metric (tusimple-benchmark evaluate/lane.py, METRICS.md section 2):
 * angle-adjusted 20 px threshold per GT lane, 0.85 of rows to match, no one-to-one assignment,
 * the 5th-lane leniency, and the per-sequence averages (plus the F1 later papers report).
 */
import { LaneLabelError } from './errors';
import type { TusimpleFrame } from './tusimple';

export interface TusimpleMetricOptions {
  /** Horizontal tolerance for a lane at 0 degrees (px). Default 20. */
  pixelThresh?: number;
  /** Fraction of rows a prediction must match for the GT lane to count as found. Default 0.85. */
  ptThresh?: number;
  /** A frame slower than this (ms) scores 0 (official 200; LaneATT's copy uses 20000). */
  maxRunTimeMs?: number;
}

export interface TusimpleFrameScore {
  /** Frame accuracy, FP rate and FN rate exactly as LaneEval.bench returns them. */
  accuracy: number;
  fp: number;
  fn: number;
  /** Best line accuracy of each GT lane and its angle-adjusted threshold (px). */
  lineAccuracies: number[];
  thresholds: number[];
  /** GT lanes found (max accuracy >= ptThresh) and counts before normalisation. */
  matched: number;
  fpCount: number;
  fnCount: number;
  /** True when the frame was scored 0 for being too slow or having too many predictions. */
  rejected: boolean;
}

const DEFAULTS = { pixelThresh: 20, ptThresh: 0.85, maxRunTimeMs: 200 };

/** Least-squares slope angle of x = k*y + b over the lane's valid rows (x >= 0); 0 with < 2 rows. */
export function tusimpleLaneAngle(xs: readonly number[], hSamples: readonly number[]): number {
  let n = 0,
    sy = 0,
    sx = 0;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < 0) continue;
    n++;
    sy += hSamples[i];
    sx += xs[i];
  }
  if (n < 2) return 0;
  const my = sy / n,
    mx = sx / n;
  let cov = 0,
    vary = 0;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < 0) continue;
    const dy = hSamples[i] - my;
    cov += dy * (xs[i] - mx);
    vary += dy * dy;
  }
  return vary === 0 ? 0 : Math.atan(cov / vary);
}

/** Fraction of rows where |pred - gt| < thresh, with every negative value replaced by -100. */
export function tusimpleLineAccuracy(pred: readonly number[], gt: readonly number[], thresh: number): number {
  let hits = 0;
  for (let i = 0; i < gt.length; i++) {
    const p = pred[i] >= 0 ? pred[i] : -100;
    const g = gt[i] >= 0 ? gt[i] : -100;
    if (Math.abs(p - g) < thresh) hits++;
  }
  return hits / gt.length;
}

/** `LaneEval.bench` for one frame. Throws "Format of lanes error" when a prediction has the wrong length. */
export function tusimpleFrameScore(
  predLanes: readonly (readonly number[])[],
  gtLanes: readonly (readonly number[])[],
  hSamples: readonly number[],
  runTimeMs = 0,
  options: TusimpleMetricOptions = {},
): TusimpleFrameScore {
  const o = { ...DEFAULTS, ...options };
  predLanes.forEach((p, i) => {
    if (p.length !== hSamples.length) {
      throw new LaneLabelError(
        `Format of lanes error: predicted lane ${i} has ${p.length} values, h_samples has ${hSamples.length}`,
      );
    }
  });
  if (runTimeMs > o.maxRunTimeMs || gtLanes.length + 2 < predLanes.length) {
    return {
      accuracy: 0,
      fp: 0,
      fn: 1,
      lineAccuracies: [],
      thresholds: [],
      matched: 0,
      fpCount: 0,
      fnCount: 0,
      rejected: true,
    };
  }
  const thresholds = gtLanes.map((g) => o.pixelThresh / Math.cos(tusimpleLaneAngle(g, hSamples)));
  const lineAccuracies: number[] = [];
  let fn = 0;
  let matched = 0;
  gtLanes.forEach((g, gi) => {
    let best = 0;
    for (const p of predLanes) best = Math.max(best, tusimpleLineAccuracy(p, g, thresholds[gi]));
    if (best < o.ptThresh) fn++;
    else matched++;
    lineAccuracies.push(best);
  });
  // No one-to-one assignment: one prediction may match several GT lanes, so fp can go negative.
  const fpCount = predLanes.length - matched;
  if (gtLanes.length > 4 && fn > 0) fn--;
  let s = lineAccuracies.reduce((a, b) => a + b, 0);
  if (gtLanes.length > 4) s -= Math.min(...lineAccuracies);
  const denom = Math.max(Math.min(4, gtLanes.length), 1);
  return {
    accuracy: s / denom,
    fp: predLanes.length > 0 ? fpCount / predLanes.length : 0,
    fn: fn / denom,
    lineAccuracies,
    thresholds,
    matched,
    fpCount,
    fnCount: fn,
    rejected: false,
  };
}

export interface TusimpleSequenceScore {
  /** Means over the GT frames (bench_one_submit). */
  accuracy: number;
  fp: number;
  fn: number;
  /** F1 as CLRNet reports it: P = 1 - FP, R = (1 - FP) / (1 - FP + FN). */
  precision: number;
  recall: number;
  f1: number;
  frames: (TusimpleFrameScore & { raw_file: string })[];
}

/**
 * Scores predictions against ground truth. Accepts one frame or a sequence; frames are matched by
 * `raw_file`, and, as in the official evaluator, every GT frame needs exactly one prediction.
 * The GT frame's h_samples are used for both.
 */
export function tusimpleAccuracy(
  pred: TusimpleFrame | readonly TusimpleFrame[],
  gt: TusimpleFrame | readonly TusimpleFrame[],
  options: TusimpleMetricOptions = {},
): TusimpleSequenceScore {
  const preds = Array.isArray(pred) ? (pred as TusimpleFrame[]) : [pred as TusimpleFrame];
  const gts = Array.isArray(gt) ? (gt as TusimpleFrame[]) : [gt as TusimpleFrame];
  if (preds.length !== gts.length) {
    throw new LaneLabelError(
      `We do not get the predictions of all the test tasks: ${preds.length} predictions for ${gts.length} GT frames`,
    );
  }
  const byFile = new Map<string, TusimpleFrame>();
  for (const g of gts) {
    if (byFile.has(g.raw_file)) throw new LaneLabelError(`duplicate GT raw_file "${g.raw_file}"`);
    byFile.set(g.raw_file, g);
  }
  const seen = new Set<string>();
  const frames: TusimpleSequenceScore['frames'] = [];
  let acc = 0,
    fp = 0,
    fn = 0;
  for (const p of preds) {
    const g = byFile.get(p.raw_file);
    if (!g) throw new LaneLabelError(`prediction raw_file "${p.raw_file}" does not exist in the GT`);
    if (seen.has(p.raw_file)) throw new LaneLabelError(`duplicate prediction raw_file "${p.raw_file}"`);
    seen.add(p.raw_file);
    const s = tusimpleFrameScore(p.lanes, g.lanes, g.h_samples, p.run_time ?? 0, options);
    frames.push({ raw_file: p.raw_file, ...s });
    acc += s.accuracy;
    fp += s.fp;
    fn += s.fn;
  }
  const num = gts.length || 1;
  const a = acc / num,
    fpr = fp / num,
    fnr = fn / num;
  const tp = 1 - fpr;
  const precision = tp + fpr === 0 ? 0 : tp / (tp + fpr);
  const recall = tp + fnr === 0 ? 0 : tp / (tp + fnr);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy: a, fp: fpr, fn: fnr, precision, recall, f1, frames };
}

/**
 * Which predicted lanes match a GT lane and which GT lanes are found, by the metric's own rule
 * (line accuracy >= ptThresh within the GT lane's angle-adjusted threshold; no one-to-one
 * assignment, as in LaneEval.bench): what the inspector colours TP, FP and FN. `gtFound` agrees
 * with `tusimpleFrameScore`'s `matched`.
 */
export function tusimpleLaneMatches(
  predLanes: readonly (readonly number[])[],
  gtLanes: readonly (readonly number[])[],
  hSamples: readonly number[],
  options: TusimpleMetricOptions = {},
): { predMatched: boolean[]; gtFound: boolean[] } {
  const o = { ...DEFAULTS, ...options };
  const predMatched = predLanes.map(() => false);
  const gtFound = gtLanes.map((g) => {
    const thresh = o.pixelThresh / Math.cos(tusimpleLaneAngle(g, hSamples));
    let found = false;
    predLanes.forEach((p, pi) => {
      if (p.length === hSamples.length && tusimpleLineAccuracy(p, g, thresh) >= o.ptThresh) {
        predMatched[pi] = true;
        found = true;
      }
    });
    return found;
  });
  return { predMatched, gtFound };
}
