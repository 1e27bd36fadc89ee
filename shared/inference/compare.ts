/**
 * A/B comparison of two models on the same frame — the question "did torch -> ONNX -> TensorRT FP16
 * change the lanes?". Pure: used by the inspector's A/B view, its exports and `tritonscope compare`.
 *
 *  - per output: max and mean |Δ| over the raw values;
 *  - anchors (proposal rows) whose confidence crosses the threshold in one model only;
 *  - lanes matched one to one (Hungarian assignment minimising mean |Δx| over the rows both lanes
 *    cover; a pair sharing fewer than MIN_SHARED_ROWS rows, or further apart than `maxMeanDx`, is
 *    not a match): mean and max |Δx| per matched lane, and lanes found only by A or only by B;
 *  - per-row |Δx| of matched lanes, for the Δ layer.
 */
import { maxWeightAssignment } from '../lanes/hungarian';
import { softmax2Second } from '../lanes/numeric';
import type { Lane, Point } from '../lanes/types';

export interface ValueDiff {
  name: string;
  /** Elements compared (the shorter length when they differ). */
  count: number;
  maxAbs: number;
  meanAbs: number;
  /** True when the two outputs had different element counts (then only the common prefix is compared). */
  sizeMismatch: boolean;
}

export function valueDiff(name: string, a: ArrayLike<number>, b: ArrayLike<number>): ValueDiff {
  const n = Math.min(a.length, b.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) {
      max = NaN;
      continue;
    }
    if (d > max) max = d;
    sum += d;
  }
  return { name, count: n, maxAbs: max, meanAbs: n ? sum / n : 0, sizeMismatch: a.length !== b.length };
}

export interface ThresholdFlips {
  /** Rows compared. */
  rows: number;
  /** Above the threshold in A only / in B only. */
  onlyA: number;
  onlyB: number;
}

/**
 * Proposal rows (LaneATT [N,77], CLRNet [N,78]: two class logits first) whose lane probability is
 * above `conf` in one model but not in the other. `strict`: LaneATT keeps p > conf, CLRNet p >= conf.
 */
export function thresholdFlips(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  cols: number,
  conf: number,
  opts: { strict?: boolean; scoresAreProbs?: boolean } = {},
): ThresholdFlips {
  const rows = Math.floor(Math.min(a.length, b.length) / cols);
  const c = Math.fround(conf);
  const strict = opts.strict ?? true;
  const prob = (v: ArrayLike<number>, off: number) =>
    opts.scoresAreProbs ? v[off + 1] : softmax2Second(v[off], v[off + 1]);
  const above = (p: number) => (strict ? p > c : p >= c);
  let onlyA = 0;
  let onlyB = 0;
  for (let r = 0, off = 0; r < rows; r++, off += cols) {
    const inA = above(prob(a, off));
    const inB = above(prob(b, off));
    if (inA && !inB) onlyA++;
    else if (inB && !inA) onlyB++;
  }
  return { rows, onlyA, onlyB };
}

export interface RowDelta {
  y: number;
  xA: number;
  xB: number;
  dx: number;
}

export interface LaneMatch {
  /** Index of the lane in A's and in B's list. */
  a: number;
  b: number;
  meanDx: number;
  maxDx: number;
  /** Rows both lanes cover, top to bottom, with |Δx| (drawn by the Δ layer). */
  rows: RowDelta[];
}

export interface LaneComparison {
  matches: LaneMatch[];
  onlyA: number[];
  onlyB: number[];
}

export const MIN_SHARED_ROWS = 2;
/** Lanes further apart than this (mean |Δx| in px) are different lanes, not one lane that moved. */
export const DEFAULT_MAX_MEAN_DX = 50;

const rowKey = (y: number) => Math.round(y * 1000);

function sharedRows(a: readonly Point[], b: readonly Point[]): RowDelta[] {
  const byY = new Map<number, number>();
  for (const [x, y] of b) byY.set(rowKey(y), x);
  const rows: RowDelta[] = [];
  for (const [xA, y] of a) {
    const xB = byY.get(rowKey(y));
    if (xB !== undefined) rows.push({ y, xA, xB, dx: Math.abs(xA - xB) });
  }
  return rows;
}

/**
 * Matches A's lanes to B's one to one. Lanes are compared on the rows (y values) both cover, which
 * is exact for two models decoded with the same decoder (the same row grid).
 */
export function matchLanes(
  a: readonly Pick<Lane, 'points'>[],
  b: readonly Pick<Lane, 'points'>[],
  maxMeanDx = DEFAULT_MAX_MEAN_DX,
): LaneComparison {
  const pairs = a.map((la) => b.map((lb) => sharedRows(la.points, lb.points)));
  const mean = (rows: RowDelta[]) => rows.reduce((s, r) => s + r.dx, 0) / rows.length;
  const usable = (rows: RowDelta[]) => rows.length >= MIN_SHARED_ROWS && mean(rows) <= maxMeanDx;
  // Maximise sum(BIG - cost) over usable pairs: as many matches as possible, then the smallest cost.
  const BIG = maxMeanDx * 4 + 1;
  const weights = pairs.map((row) => row.map((rows) => (usable(rows) ? BIG - mean(rows) : 0)));
  const assignment = a.length && b.length ? maxWeightAssignment(weights) : a.map(() => -1);
  const matches: LaneMatch[] = [];
  const usedB = new Set<number>();
  assignment.forEach((j, i) => {
    if (j < 0 || j >= b.length || !usable(pairs[i][j])) return;
    const rows = pairs[i][j];
    usedB.add(j);
    matches.push({ a: i, b: j, meanDx: mean(rows), maxDx: Math.max(...rows.map((r) => r.dx)), rows });
  });
  const matchedA = new Set(matches.map((m) => m.a));
  return {
    matches,
    onlyA: a.map((_, i) => i).filter((i) => !matchedA.has(i)),
    onlyB: b.map((_, j) => j).filter((j) => !usedB.has(j)),
  };
}

export interface FrameComparison {
  outputs: ValueDiff[];
  flips: ThresholdFlips | null;
  lanes: LaneComparison;
  /** Lane counts of A and B. */
  lanesA: number;
  lanesB: number;
}

/** Largest mean |Δx| over matched lanes (0 when none). */
export function worstMeanDx(c: FrameComparison): number {
  return c.lanes.matches.reduce((m, x) => Math.max(m, x.meanDx), 0);
}

/** Lanes only one model found. */
export function unmatchedCount(c: FrameComparison): number {
  return c.lanes.onlyA.length + c.lanes.onlyB.length;
}

/** True when the two models disagree on this frame: a lane only one found, or a matched lane moved more than `dxTolerance` px on average. */
export function disagrees(c: FrameComparison, dxTolerance: number): boolean {
  return unmatchedCount(c) > 0 || worstMeanDx(c) > dxTolerance;
}

/** Worst first: more unmatched lanes, then a larger worst mean |Δx|, then more threshold flips. */
export function compareWorstFirst(x: FrameComparison, y: FrameComparison): number {
  return (
    unmatchedCount(y) - unmatchedCount(x) ||
    worstMeanDx(y) - worstMeanDx(x) ||
    (y.flips ? y.flips.onlyA + y.flips.onlyB : 0) - (x.flips ? x.flips.onlyA + x.flips.onlyB : 0)
  );
}

export interface SequenceFrame {
  index: number;
  /** File name or `frame N`. */
  label: string;
  comparison: FrameComparison;
}

export interface SequenceSummary {
  frames: number;
  disagreeing: number;
  /** Mean over frames of the per-output mean |Δ| of the first output. */
  meanAbsOutput: number;
  maxAbsOutput: number;
  /** Mean |Δx| over every matched lane of every frame. */
  meanDx: number;
  onlyA: number;
  onlyB: number;
  /** Frames worst first (all of them; the disagreeing ones lead). */
  worst: SequenceFrame[];
}

/** Δx above which a matched lane counts as a disagreement in the summary (px). */
export const DEFAULT_DX_TOLERANCE = 2;

export function summarizeSequence(
  frames: readonly SequenceFrame[],
  dxTolerance = DEFAULT_DX_TOLERANCE,
): SequenceSummary {
  let dxSum = 0;
  let dxN = 0;
  let outSum = 0;
  let outMax = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const f of frames) {
    for (const m of f.comparison.lanes.matches) {
      dxSum += m.meanDx;
      dxN++;
    }
    const o = f.comparison.outputs[0];
    if (o) {
      outSum += o.meanAbs;
      outMax = Math.max(outMax, o.maxAbs);
    }
    onlyA += f.comparison.lanes.onlyA.length;
    onlyB += f.comparison.lanes.onlyB.length;
  }
  return {
    frames: frames.length,
    disagreeing: frames.filter((f) => disagrees(f.comparison, dxTolerance)).length,
    meanAbsOutput: frames.length ? outSum / frames.length : 0,
    maxAbsOutput: outMax,
    meanDx: dxN ? dxSum / dxN : 0,
    onlyA,
    onlyB,
    worst: [...frames].sort((x, y) => compareWorstFirst(x.comparison, y.comparison) || x.index - y.index),
  };
}

export const COMPARE_CSV_HEADER = [
  'frame',
  'label',
  'lanes_a',
  'lanes_b',
  'matched',
  'only_a',
  'only_b',
  'worst_mean_dx_px',
  'max_dx_px',
  'output',
  'output_max_abs',
  'output_mean_abs',
  'flips_only_a',
  'flips_only_b',
];

/** One CSV row per frame (worst first), numbers with fixed precision. */
export function sequenceCsvRows(summary: SequenceSummary): string[][] {
  const rows: string[][] = [COMPARE_CSV_HEADER];
  for (const f of summary.worst) {
    const c = f.comparison;
    const o = c.outputs[0];
    rows.push([
      String(f.index + 1),
      f.label,
      String(c.lanesA),
      String(c.lanesB),
      String(c.lanes.matches.length),
      String(c.lanes.onlyA.length),
      String(c.lanes.onlyB.length),
      worstMeanDx(c).toFixed(3),
      c.lanes.matches.reduce((m, x) => Math.max(m, x.maxDx), 0).toFixed(3),
      o?.name ?? '',
      o ? o.maxAbs.toPrecision(6) : '',
      o ? o.meanAbs.toPrecision(6) : '',
      c.flips ? String(c.flips.onlyA) : '',
      c.flips ? String(c.flips.onlyB) : '',
    ]);
  }
  return rows;
}

/** JSON-friendly form of a frame comparison (row deltas left out: they are for drawing). */
export function comparisonJson(c: FrameComparison) {
  return {
    lanesA: c.lanesA,
    lanesB: c.lanesB,
    outputs: c.outputs,
    flips: c.flips,
    matches: c.lanes.matches.map((m) => ({ a: m.a, b: m.b, meanDx: m.meanDx, maxDx: m.maxDx, rows: m.rows.length })),
    onlyA: c.lanes.onlyA,
    onlyB: c.lanes.onlyB,
  };
}

/** Columns per proposal row of the layouts that have two class logits first. */
export const PROPOSAL_COLS: Readonly<Record<string, { cols: number; strict: boolean }>> = {
  laneatt: { cols: 77, strict: true },
  clrnet: { cols: 78, strict: false },
};

/**
 * The full comparison of one frame: A's and B's raw lane outputs and decoded lanes (same decoder,
 * same options). `conf` is the threshold both decodes used.
 */
export function compareFrame(args: {
  output: { name: string; a: ArrayLike<number>; b: ArrayLike<number> };
  decoder: string;
  conf?: number;
  scoresAreProbs?: boolean;
  lanesA: readonly Pick<Lane, 'points'>[];
  lanesB: readonly Pick<Lane, 'points'>[];
  maxMeanDx?: number;
}): FrameComparison {
  const layout = PROPOSAL_COLS[args.decoder];
  return {
    outputs: [valueDiff(args.output.name, args.output.a, args.output.b)],
    flips:
      layout && typeof args.conf === 'number'
        ? thresholdFlips(args.output.a, args.output.b, layout.cols, args.conf, {
            strict: layout.strict,
            scoresAreProbs: args.scoresAreProbs,
          })
        : null,
    lanes: matchLanes(args.lanesA, args.lanesB, args.maxMeanDx),
    lanesA: args.lanesA.length,
    lanesB: args.lanesB.length,
  };
}
