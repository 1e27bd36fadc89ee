/**
 * Ultra-Fast-Lane-Detection v1 decoder (OTHER_MODELS.md section 1): raw `group_cls` logits
 * `[1, G+1, R, L]` (G column cells + "absent", R row anchors, L lane slots), three upstream decodes:
 *  - 'tusimple-eval' (eval_wrapper.py generate_tusimple_lines): 0-based softmax expectation,
 *    x = int(round((loc + 0.5) * 1280 / (G - 1))), every slot emitted on TuSimple's h_samples;
 *  - 'culane-eval' (eval_wrapper.py generate_lines): rows flipped, 1-based expectation,
 *    x = int(loc * col_w * 1640 / 800) - 1, y = int(590 - 20 k) - 1, lanes with > 2 rows;
 *  - 'demo' (demo.py): like culane-eval but scaled to any image size with the real row anchors.
 * Arithmetic follows numpy on float32 input: softmax in float32, the expectation in float64.
 */
import { LaneDecodeError } from './errors';
import { roundHalfEven } from './numeric';
import type { Lane, Point } from './types';

export type UfldDataset = 'tusimple' | 'culane';
export type UfldMode = 'tusimple-eval' | 'culane-eval' | 'demo';

/** Row anchors in the 288-high network input (data/constant.py). */
export const UFLD_ROW_ANCHORS: Record<UfldDataset, readonly number[]> = {
  tusimple: Array.from({ length: 56 }, (_, i) => 64 + 4 * i),
  culane: [121, 131, 141, 150, 160, 170, 180, 189, 199, 209, 219, 228, 238, 248, 258, 267, 277, 287],
};
export const UFLD_GRIDING: Record<UfldDataset, number> = { tusimple: 100, culane: 200 };
export const UFLD_ORIG_SIZE: Record<UfldDataset, [number, number]> = { tusimple: [1280, 720], culane: [1640, 590] };
const INPUT_W = 800;
const INPUT_H = 288;

export interface UfldOptions {
  /** Default: recognised from the shape ([1,101,56,4] TuSimple, [1,201,18,4] CULane). */
  dataset?: UfldDataset;
  /** Default: the dataset's evaluation decode. */
  mode?: UfldMode;
  /** Row anchors (y in the 288-high input), when the model uses its own. */
  rowAnchors?: readonly number[];
  /**
   * Frame size. 'demo' computes points for it directly (default the dataset's frame size); the
   * evaluation modes compute at their fixed benchmark size and scale Lane.points to it.
   */
  origW?: number | null;
  origH?: number | null;
}

export interface UfldLane extends Lane {
  /** Lane slot (0..L-1); `row` holds the same value. */
  slot: number;
  /**
   * The integer points exactly as the upstream decode writes them (1280x720 for tusimple-eval,
   * 1640x590 for culane-eval, origW x origH for demo). `points` equals them unless origW/origH
   * were given for an evaluation mode, in which case `points` are scaled to that frame.
   */
  upstreamPoints: Point[];
}

export interface UfldResult {
  dataset: UfldDataset;
  mode: UfldMode;
  griding: number;
  shape: number[];
  origW: number;
  origH: number;
  /** Lanes with at least 2 points (tusimple-eval) or more than 2 rows (culane-eval, demo). */
  lanes: UfldLane[];
  /** tusimple-eval only: every slot as 56 xs on h_samples (-2 = absent), as upstream writes them. */
  tusimple?: { h_samples: number[]; lanes: number[][] };
}

export interface UfldShape {
  cells: number; // G + 1
  rows: number; // R
  slots: number; // L
}

/** Accepts [1, G+1, R, L] or [G+1, R, L]. */
export function parseUfldShape(shape: readonly number[]): UfldShape | null {
  const s = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape;
  if (s.length !== 3 || !s.every((d) => Number.isInteger(d) && d > 0) || s[0] < 3) return null;
  return { cells: s[0], rows: s[1], slots: s[2] };
}

/** The dataset whose config produces this shape, if any. */
export function ufldDatasetOf(shape: readonly number[]): UfldDataset | null {
  const s = parseUfldShape(shape);
  if (!s) return null;
  for (const d of ['tusimple', 'culane'] as const) {
    if (s.cells === UFLD_GRIDING[d] + 1 && s.rows === UFLD_ROW_ANCHORS[d].length) return d;
  }
  return null;
}

export function decodeUfld(raw: Float32Array, shape: readonly number[], options: UfldOptions = {}): UfldResult {
  const s = parseUfldShape(shape);
  if (!s) throw new LaneDecodeError(`UFLD output shape must be [1, G+1, R, L], got [${shape.join(', ')}]`);
  const expected = s.cells * s.rows * s.slots;
  if (raw.length !== expected) {
    throw new LaneDecodeError(
      `UFLD output [${shape.join(', ')}] needs ${expected} float32 values (${expected * 4} bytes), got ${raw.length} (${raw.length * 4} bytes)`,
    );
  }
  const dataset = options.dataset ?? ufldDatasetOf(shape);
  if (!dataset) {
    throw new LaneDecodeError(
      `cannot tell the UFLD dataset from shape [${shape.join(', ')}]: pass dataset and rowAnchors`,
    );
  }
  const anchors = options.rowAnchors ?? UFLD_ROW_ANCHORS[dataset];
  if (anchors.length !== s.rows) {
    throw new LaneDecodeError(`shape has ${s.rows} row anchors but ${anchors.length} were given for ${dataset}`);
  }
  const mode: UfldMode = options.mode ?? (dataset === 'tusimple' ? 'tusimple-eval' : 'culane-eval');
  const G = s.cells - 1;
  const [defW, defH] = UFLD_ORIG_SIZE[dataset];
  const origW = mode === 'demo' ? (options.origW ?? defW) : mode === 'culane-eval' ? 1640 : 1280;
  const origH = mode === 'demo' ? (options.origH ?? defH) : mode === 'culane-eval' ? 590 : 720;

  const { R, L } = { R: s.rows, L: s.slots };
  const at = (c: number, r: number, l: number) => raw[(c * R + r) * L + l];
  // Per (row, slot): the softmax expectation over the G real cells, 0-based (tusimple-eval) and
  // 1-based (culane-eval/demo); "absent" = argmax over all G+1 channels is the last one (ties go
  // to the earlier channel, like np.argmax); presence probability (for the lane score only).
  const loc0 = new Float64Array(R * L);
  const loc1 = new Float64Array(R * L);
  const absent = new Uint8Array(R * L);
  const presence = new Float64Array(R * L);
  const prob = new Float32Array(G);
  for (let r = 0; r < R; r++) {
    for (let l = 0; l < L; l++) {
      let max = -Infinity;
      let maxAll = -Infinity;
      let arg = 0;
      for (let c = 0; c <= G; c++) {
        const v = at(c, r, l);
        if (v > maxAll) {
          maxAll = v;
          arg = c;
        }
        if (c < G && v > max) max = v;
      }
      // scipy.special.softmax on float32: exp(x - max) and its sum in float32.
      let sum = 0;
      for (let c = 0; c < G; c++) {
        prob[c] = Math.exp(Math.fround(at(c, r, l) - max));
        sum = Math.fround(sum + prob[c]);
      }
      // prob (float32) * integer index promotes to float64 in numpy.
      let a = 0;
      let b = 0;
      for (let c = 0; c < G; c++) {
        const p = Math.fround(prob[c] / sum);
        a += p * c;
        b += p * (c + 1);
      }
      const i = r * L + l;
      loc0[i] = a;
      loc1[i] = b;
      absent[i] = arg === G ? 1 : 0;
      let all = 0;
      for (let c = 0; c <= G; c++) all += Math.exp(at(c, r, l) - maxAll);
      presence[i] = 1 - Math.exp(at(G, r, l) - maxAll) / all;
    }
  }

  const lanes: UfldLane[] = [];
  const score = (rows: number[], l: number) =>
    rows.length ? rows.reduce((a, r) => a + presence[r * L + l], 0) / rows.length : 0;

  if (mode === 'tusimple-eval') {
    const hSamples = anchors.map((a) => Math.round((a * 720) / INPUT_H));
    const xsLists: number[][] = [];
    for (let l = 0; l < L; l++) {
      const xs: number[] = [];
      const points: Point[] = [];
      const rows: number[] = [];
      for (let r = 0; r < R; r++) {
        if (absent[r * L + l]) {
          xs.push(-2);
          continue;
        }
        const x = roundHalfEven(((loc0[r * L + l] + 0.5) * 1280.0) / (G - 1));
        xs.push(x);
        points.push([x, hSamples[r]]);
        rows.push(r);
      }
      xsLists.push(xs);
      if (points.length >= 2) lanes.push({ slot: l, row: l, score: score(rows, l), points, upstreamPoints: points });
    }
    scaleToFrame(lanes, mode, origW, origH, options);
    return {
      dataset,
      mode,
      griding: G,
      shape: [...shape],
      origW,
      origH,
      lanes,
      tusimple: { h_samples: hSamples, lanes: xsLists },
    };
  }

  // culane-eval / demo: k = 0 is the bottom anchor (rows flipped), 1-based expectation, 0 = absent.
  const colW = (INPUT_W - 1) / (G - 1); // np.linspace(0, 799, G)[1]
  for (let l = 0; l < L; l++) {
    const valid: number[] = [];
    for (let k = 0; k < R; k++) if (!absent[(R - 1 - k) * L + l]) valid.push(k);
    if (valid.length <= 2) continue;
    const points: Point[] = [];
    const rows: number[] = [];
    for (const k of valid) {
      const r = R - 1 - k;
      const loc = loc1[r * L + l];
      if (!(loc > 0)) continue;
      const x = Math.trunc((loc * colW * origW) / INPUT_W) - 1;
      const y = mode === 'culane-eval' ? Math.trunc(590 - k * 20) - 1 : Math.trunc(origH * (anchors[r] / INPUT_H)) - 1;
      points.push([x, y]);
      rows.push(r);
    }
    lanes.push({ slot: l, row: l, score: score(rows, l), points, upstreamPoints: points });
  }
  scaleToFrame(lanes, mode, origW, origH, options);
  return { dataset, mode, griding: G, shape: [...shape], origW, origH, lanes };
}

/** Evaluation modes work at a fixed benchmark size: scale the overlay points to the caller's frame. */
function scaleToFrame(lanes: UfldLane[], mode: UfldMode, nativeW: number, nativeH: number, o: UfldOptions): void {
  if (mode === 'demo' || o.origW == null || o.origH == null) return;
  if (o.origW === nativeW && o.origH === nativeH) return;
  const sx = o.origW / nativeW;
  const sy = o.origH / nativeH;
  for (const l of lanes) l.points = l.upstreamPoints.map(([x, y]): Point => [x * sx, y * sy]);
}

/** The JSON document `tritonscope decode ufld --json` prints (same shape as vectors/ufld/*.json). */
export function ufldReport(result: UfldResult): Record<string, unknown> {
  const head = {
    model: 'ufld',
    dataset: result.dataset,
    mode: result.mode,
    griding_num: result.griding,
    shape: result.shape,
    orig_w: result.origW,
    orig_h: result.origH,
  };
  if (result.tusimple) {
    const { h_samples, lanes } = result.tusimple;
    return {
      ...head,
      h_samples,
      lanes,
      points: lanes.map((xs) => xs.flatMap((x, i) => (x === -2 ? [] : [[x, h_samples[i]]]))),
    };
  }
  return { ...head, lanes: result.lanes.map((l) => ({ slot: l.slot, points: l.upstreamPoints })) };
}
