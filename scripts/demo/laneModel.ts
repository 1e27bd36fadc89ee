/**
 * The OLD demo lane model, kept only as the named baseline of `npm run bench` (bench/lane-models.bench.ts);
 * the demo now serves a trained LaneATT (scripts/train). A classical lane-marking detector written as an
 * ONNX graph, with LaneATT's
 * input and output (`input` [1,3,360,640] RGB in [0,1] -> `predict_lanes` [1,2784,77], layout of
 * ../shared/lanes/LANEATT.md: 2 class logits, start_y, start_x, length, 72 absolute xs).
 *
 * How it looks at the image:
 *  1. marking map: brightness plus a yellow bonus, minus its horizontal morphological opening
 *     (a white top-hat keeps bright stripes narrower than the structuring element, so lane paint
 *     survives while sky, clouds, wide bright areas and shadow edges do not), divided by the local
 *     background so paint in shadow scores like paint in the sun;
 *  2. for each of the 2784 LaneATT anchors and each of its 72 rows, a horizontal window of the map
 *     is gathered around the anchor; its centroid pulls the row towards the nearest marking;
 *  3. a weighted least-squares polynomial (in the row index, ridge-regularised towards the anchor)
 *     through those centroids gives a smooth curve; the window is narrowed around the curve and the
 *     fit repeated, so a straight anchor snaps onto a curved lane;
 *  4. a last narrow pass gives per-row x (centroid where paint is seen, the fitted curve across dash
 *     gaps and occlusions) and per-row evidence (peak response);
 *  5. length = last row (from the anchor's start) where the evidence holds up; the lane logit grows
 *     with the fraction of in-image rows that show paint and with the lane's extent.
 * Rows whose x falls outside the image are written as -1 so the decode drops them (LaneATT keeps
 * x > 640 inside [start, end]; a real model would not predict those for a lane that left the view).
 */
import {
  attr,
  buildOnnxModel,
  type OnnxAttrValue,
  type OnnxElemType,
  type OnnxNodeSpec,
  type OnnxTensorSpec,
} from '../onnx/builder';
import { IMG_H, IMG_W, laneAttAnchors, N_ANCHORS, N_ROWS, rowY } from './anchors';

export interface LaneModelParams {
  /** horizontal opening width (px) of the top-hat */
  tophatWidth: number;
  /** background offset in the contrast ratio tophat / (opening + bgOffset) */
  bgOffset: number;
  /** ratio below this is noise */
  noiseFloor: number;
  /** pass half-windows (px) and Gaussian prior sigmas (px, 0 = flat) */
  passes: { halfWidth: number; sigma: number; ridge: number; degree: number }[];
  /** narrow re-centring passes after the fits */
  snakeIterations: number;
  /** evidence threshold on the final per-row peak response */
  evidence: number;
  /** logit = seenGain * (rows with paint - seenBias) + coverageGain * (fraction of rows in view with paint - 0.5) */
  seenGain: number;
  seenBias: number;
  coverageGain: number;
}

export const DEFAULT_LANE_MODEL_PARAMS: LaneModelParams = {
  tophatWidth: 41,
  bgOffset: 0.15,
  noiseFloor: 0.12,
  passes: [
    { halfWidth: 28, sigma: 14, ridge: 2, degree: 1 },
    { halfWidth: 10, sigma: 6, ridge: 2, degree: 2 },
  ],
  snakeIterations: 3,
  evidence: 0.25,
  seenGain: 0.6,
  seenBias: 9,
  coverageGain: 3,
};

/** Emits ONNX nodes with generated value names. */
class Graph {
  readonly nodes: OnnxNodeSpec[] = [];
  readonly initializers: (OnnxTensorSpec & { name: string })[] = [];
  private counter = 0;

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  op(op: string, inputs: string[], attrs?: Record<string, OnnxAttrValue>, hint = op.toLowerCase()): string {
    const out = this.fresh(hint);
    this.nodes.push({ op, inputs, outputs: [out], ...(attrs ? { attrs } : {}) });
    return out;
  }

  multi(op: string, inputs: string[], n: number, attrs?: Record<string, OnnxAttrValue>): string[] {
    const outs = Array.from({ length: n }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs: outs, ...(attrs ? { attrs } : {}) });
    return outs;
  }

  const(data: ArrayLike<number>, dims: number[], elemType: OnnxElemType = 'float', hint = 'c'): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, elemType, dims, data: data });
    return name;
  }

  scalar(v: number): string {
    return this.const([v], [], 'float', 'k');
  }

  add(a: string, b: string) {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string) {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string) {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string) {
    return this.op('Div', [a, b]);
  }
}

const PAD = 48; // zero columns each side of the padded marking map (>= every half-window)

interface PassResult {
  centroid: string; // [N,S]
  mass: string; // [N,S]
  peak: string; // [N,S]
  inImage: string; // [N,S] 1 where the centre lies in the image
}

/** Gather a window of the padded map around `center` for every anchor row and summarise it. */
function windowPass(
  g: Graph,
  mapFlat: string,
  rowOffset: string,
  center: string,
  halfWidth: number,
  sigma: number,
): PassResult {
  const width = 2 * halfWidth + 1;
  const wp = IMG_W + 2 * PAD;
  const rounded = g.op('Floor', [g.add(center, g.scalar(0.5))]);
  const ci = g.op('Clip', [rounded, g.scalar(-PAD + halfWidth), g.scalar(IMG_W + PAD - 1 - halfWidth)]);
  const base = g.op('Unsqueeze', [g.add(ci, rowOffset), g.const([2], [1], 'int64')]);
  const offsets = Array.from({ length: width }, (_, j) => j - halfWidth);
  const idx = g.op('Cast', [g.add(base, g.const(offsets, [width]))], { to: 7 });
  const win = g.op('Gather', [mapFlat, idx], { axis: 0 }); // [N,S,width]
  const prior = offsets.map((d) => (sigma > 0 ? Math.exp(-(d * d) / (2 * sigma * sigma)) : 1));
  const weighted = g.mul(win, g.const(prior, [width]));
  const moments = g.op('MatMul', [
    weighted,
    g.const(
      offsets.flatMap((d) => [1, d]),
      [width, 2],
    ),
  ]); // [N,S,2]
  const [m0, m1] = g
    .multi('Split', [moments], 2, { axis: 2 })
    .map((t) => g.op('Squeeze', [t, g.const([2], [1], 'int64')]));
  const eps = g.scalar(1e-3);
  // centroid = (m0*ci + m1 + eps*center) / (m0 + eps): falls back to the centre when nothing is seen
  const centroid = g.div(g.add(g.add(g.mul(m0, ci), m1), g.mul(eps, center)), g.add(m0, eps));
  const peak = g.op('ReduceMax', [win], { axes: [2], keepdims: 0 });
  void wp;
  const inImage = g.op(
    'Cast',
    [g.op('And', [g.op('GreaterOrEqual', [center, g.scalar(0)]), g.op('Less', [center, g.scalar(IMG_W)])])],
    { to: 1 },
  );
  return { centroid, mass: m0, peak, inImage };
}

/**
 * Weighted ridge least squares of (x - anchor) on a polynomial in t = row/71, solved per anchor by
 * Gaussian elimination emitted as elementwise ops; returns anchor + fitted polynomial, [N,S].
 */
function polyFit(g: Graph, x: string, weight: string, anchorXs: string, degree: number, ridge: number): string {
  const B = degree + 1;
  const ts = Array.from({ length: N_ROWS }, (_, i) => i / (N_ROWS - 1));
  const powers2 = g.const(
    ts.flatMap((t) => Array.from({ length: 2 * B - 1 }, (_, p) => t ** p)),
    [N_ROWS, 2 * B - 1],
  );
  const basis = ts.flatMap((t) => Array.from({ length: B }, (_, p) => t ** p));
  const basisT = Array.from({ length: B }, (_, p) => ts.map((t) => t ** p)).flat();
  const resid = g.sub(x, anchorXs);
  const sums = g.op('MatMul', [weight, powers2]); // [N, 2B-1]
  const rhs = g.op('MatMul', [g.mul(weight, resid), g.const(basis, [N_ROWS, B])]); // [N, B]
  const s = g.multi('Split', [sums], 2 * B - 1, { axis: 1 });
  const r = g.multi('Split', [rhs], B, { axis: 1 });
  const lam = g.scalar(ridge);
  // A[p][q] = sum w t^(p+q) (+ ridge on the diagonal), columns [N,1]
  const A: string[][] = Array.from({ length: B }, (_, p) =>
    Array.from({ length: B }, (_, q) => (p === q ? g.add(s[p + q], lam) : s[p + q])),
  );
  const y = [...r];
  for (let k = 0; k < B; k++) {
    for (let i = k + 1; i < B; i++) {
      const f = g.div(A[i][k], A[k][k]);
      for (let j = k + 1; j < B; j++) A[i][j] = g.sub(A[i][j], g.mul(f, A[k][j]));
      y[i] = g.sub(y[i], g.mul(f, y[k]));
    }
  }
  const coef = new Array<string>(B);
  for (let i = B - 1; i >= 0; i--) {
    let acc = y[i];
    for (let j = i + 1; j < B; j++) acc = g.sub(acc, g.mul(A[i][j], coef[j]));
    coef[i] = g.div(acc, A[i][i]);
  }
  const c = g.op('Concat', coef, { axis: 1 }); // [N,B]
  return g.add(anchorXs, g.op('MatMul', [c, g.const(basisT, [B, N_ROWS])]));
}

export type LaneModelPrecision = 'fp32' | 'fp16';

/** Build the demo lane model. `fp16` takes a FLOAT16 input (the rest computes in FP32; output FP32). */
export function buildLaneModel(
  precision: LaneModelPrecision = 'fp32',
  params: LaneModelParams = DEFAULT_LANE_MODEL_PARAMS,
  extraOutputs = false,
): Uint8Array {
  const g = new Graph();
  const anchors = laneAttAnchors();
  const N = N_ANCHORS;
  const S = N_ROWS;
  const wp = IMG_W + 2 * PAD;

  let img = 'input';
  if (precision === 'fp16') img = g.op('Cast', ['input'], { to: 1 });

  // 1. marking map
  const lum = g.op('Conv', [img, g.const([0.299, 0.587, 0.114], [1, 3, 1, 1])]);
  const [R, G, Bc] = g.multi('Split', [img], 3, { axis: 1 });
  const yellow = g.op('Relu', [g.sub(g.op('Min', [R, G]), Bc)]);
  // sky seen between trees is bright but blue; paint is neutral or yellow
  const blue = g.op('Relu', [g.sub(g.sub(Bc, R), g.scalar(0.04))]);
  const bright = g.add(lum, g.mul(yellow, g.scalar(0.6)));
  const notBlue = g.op('Clip', [g.sub(g.scalar(1), g.mul(blue, g.scalar(10))), g.scalar(0), g.scalar(1)]);
  const kw = params.tophatWidth;
  const pool = { kernel_shape: [1, kw], pads: [0, (kw - 1) / 2, 0, (kw - 1) / 2], strides: [1, 1] };
  const eroded = g.op('Neg', [g.op('MaxPool', [g.op('Neg', [bright])], pool)]);
  const opened = g.op('MaxPool', [eroded], pool);
  const tophat = g.sub(bright, opened);
  const ratio = g.div(tophat, g.add(opened, g.scalar(params.bgOffset)));
  // lane paint lies on a dark road: a bright local background is sky or cloud, never road
  const darkBackground = g.op('Cast', [g.op('Less', [opened, g.scalar(0.55)])], { to: 1 });
  const marking = g.mul(
    g.mul(g.op('Clip', [g.sub(ratio, g.scalar(params.noiseFloor)), g.scalar(0), g.scalar(1)]), darkBackground),
    notBlue,
  );
  const padded = g.op('Pad', [marking, g.const([0, 0, 0, PAD, 0, 0, 0, PAD], [8], 'int64')]);
  const mapFlat = g.op('Reshape', [padded, g.const([-1], [1], 'int64')]);

  // 2.-4. window passes and curve fits
  const rowOffsets = Array.from({ length: S }, (_, i) => Math.min(IMG_H - 1, Math.floor(rowY(i))) * wp + PAD);
  const rowOffset = g.const(rowOffsets, [S]);
  const anchorXs = g.const(anchors.xs, [N, S], 'float', 'anchor_xs');
  let center = anchorXs;
  for (const p of params.passes) {
    const res = windowPass(g, mapFlat, rowOffset, center, p.halfWidth, p.sigma);
    // weight rows by peak response (not window mass, which grows with the marking's width near the camera)
    center = polyFit(g, res.centroid, g.mul(res.peak, res.inImage), anchorXs, p.degree, p.ridge);
  }
  // snake: a few narrow passes whose centre is the previous centroids smoothed along the rows,
  // so the curve can bend towards the horizon where a low-order polynomial cannot
  for (let it = 0; it < params.snakeIterations; it++) {
    const res = windowPass(g, mapFlat, rowOffset, center, 5, 3);
    const smooth = g.op('Squeeze', [
      g.op('AveragePool', [g.op('Unsqueeze', [res.centroid, g.const([1], [1], 'int64')])], {
        kernel_shape: [5],
        pads: [2, 2],
        count_include_pad: 0,
      }),
      g.const([1], [1], 'int64'),
    ]);
    center = smooth;
  }
  const fin = windowPass(g, mapFlat, rowOffset, center, 5, 0);
  const evidence = g.mul(fin.peak, fin.inImage); // [N,S]
  const blend = g.op('Clip', [g.div(evidence, g.scalar(params.evidence)), g.scalar(0), g.scalar(1)]);
  const xs = g.add(center, g.mul(blend, g.sub(fin.centroid, center)));

  // 5. length and score
  const seen = g.op('Cast', [g.op('Greater', [evidence, g.scalar(params.evidence)])], { to: 1 }); // [N,S]
  // a row counts as "lane still there" when at least 2 of the 3 rows around it show paint
  const seen3 = g.op('Squeeze', [
    g.op('AveragePool', [g.op('Unsqueeze', [seen, g.const([1], [1], 'int64')])], {
      kernel_shape: [3],
      pads: [1, 1],
      count_include_pad: 1,
    }),
    g.const([1], [1], 'int64'),
  ]);
  const solid = g.op('Cast', [g.op('Greater', [seen3, g.scalar(0.5)])], { to: 1 });
  const startRow = g.const(Array.from(anchors.startRow), [N, 1], 'float', 'start_row');
  const rowIdx = g.const(
    Array.from({ length: S }, (_, i) => i),
    [S],
    'float',
    'row_idx',
  );
  const atOrAboveStart = g.op('Cast', [g.op('GreaterOrEqual', [rowIdx, startRow])], { to: 1 }); // [N,S]
  const topRow = g.op('ReduceMax', [g.mul(g.mul(solid, atOrAboveStart), g.add(rowIdx, g.scalar(1)))], {
    axes: [1],
    keepdims: 1,
  }); // [N,1], 1-based, 0 = none
  const length = g.op('Relu', [g.sub(topRow, startRow)]);
  const inRange = g.mul(atOrAboveStart, g.op('Cast', [g.op('Less', [rowIdx, topRow])], { to: 1 }));
  const inView = g.mul(inRange, fin.inImage);
  const viewRows = g.op('ReduceSum', [inView, g.const([1], [1], 'int64')], { keepdims: 1 });
  const seenRows = g.op('ReduceSum', [g.mul(inView, seen), g.const([1], [1], 'int64')], { keepdims: 1 });
  const coverage = g.div(seenRows, g.add(viewRows, g.scalar(1)));
  const logit = g.add(
    g.mul(g.sub(seenRows, g.scalar(params.seenBias)), g.scalar(params.seenGain)),
    g.mul(g.sub(coverage, g.scalar(0.5)), g.scalar(params.coverageGain)),
  );
  if (extraOutputs) {
    g.nodes.push({
      op: 'Concat',
      inputs: [seenRows, viewRows, coverage, length],
      outputs: ['debug_stats'],
      attrs: { axis: 1 },
    });
  }

  const xsOut = g.op('Where', [
    g.op('And', [g.op('GreaterOrEqual', [xs, g.scalar(0)]), g.op('Less', [xs, g.scalar(IMG_W)])]),
    xs,
    g.scalar(-1),
  ]);
  const zeros = g.const(new Float32Array(N), [N, 1]);
  const rows = g.op(
    'Concat',
    [
      zeros,
      logit,
      g.const(anchors.startY, [N, 1], 'float', 'start_y'),
      g.const(anchors.startX, [N, 1], 'float', 'start_x'),
      length,
      xsOut,
    ],
    { axis: 1 },
  );
  g.nodes.push({ op: 'Unsqueeze', inputs: [rows, g.const([0], [1], 'int64')], outputs: ['predict_lanes'] });

  const debug = extraOutputs
    ? [
        { name: 'debug_marking', elemType: 'float' as const, shape: [1, 1, IMG_H, IMG_W] },
        { name: 'debug_evidence', elemType: 'float' as const, shape: [N, S] },
        { name: 'debug_stats', elemType: 'float' as const, shape: [N, 4] },
      ]
    : [];
  if (extraOutputs) {
    g.nodes.push({ op: 'Identity', inputs: [marking], outputs: ['debug_marking'] });
    g.nodes.push({ op: 'Identity', inputs: [evidence], outputs: ['debug_evidence'] });
  }
  void attr;
  return buildOnnxModel({
    name: 'demo_lane_detector',
    docString:
      'Tritonscope demo lane model: classical marking detector scoring LaneATT anchors (see scripts/demo/laneModel.ts).',
    inputs: [{ name: 'input', elemType: precision === 'fp16' ? 'float16' : 'float', shape: [1, 3, IMG_H, IMG_W] }],
    outputs: [{ name: 'predict_lanes', elemType: 'float', shape: [1, N, 77] }, ...debug],
    nodes: g.nodes,
    initializers: g.initializers,
    opset: 17,
  });
}
