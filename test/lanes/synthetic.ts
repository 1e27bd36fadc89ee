/**
 * LaneATT-layout outputs that the tests build themselves, so the decode paths keep real coverage
 * where ../shared/lanes/vectors (the independent reference vectors) is absent. Layout (LANEATT.md):
 * per row [logit0, logit1, start_y (0..1 of 71 rows), start_x, length, 72 xs in 640-px input].
 */

export interface SyntheticRow {
  /** Lane logit; the background logit is 0, so the softmax score is sigmoid(logit). */
  logit: number;
  startRow: number;
  length: number;
  x: number | ((i: number) => number);
}

/** Rows in the given order (row k of the tensor is rows[k]). */
export function syntheticRows(rows: SyntheticRow[]): Float32Array {
  const raw = new Float32Array(rows.length * 77);
  rows.forEach((r, k) => writeRow(raw, k, r));
  return raw;
}

function writeRow(raw: Float32Array, k: number, r: SyntheticRow): void {
  const off = k * 77;
  raw[off] = 0;
  raw[off + 1] = r.logit;
  raw[off + 2] = r.startRow / 71;
  raw[off + 4] = r.length;
  for (let i = 0; i < 72; i++) raw[off + 5 + i] = typeof r.x === 'function' ? r.x(i) : r.x;
}

/**
 * A full [2784, 77] output of a road: four lanes converging towards a vanishing point, each found
 * by one strong anchor and by three weaker near-duplicates a few pixels away (what NMS removes),
 * plus background rows with low scores. Rows are spread over the tensor as a real model's are.
 */
export function syntheticRoad(): Float32Array {
  const raw = new Float32Array(2784 * 77);
  // Every 97th background row is a weak candidate (score ~0.27): above a loose display threshold,
  // below the decode threshold.
  for (let k = 0; k < 2784; k++)
    writeRow(raw, k, { logit: k % 97 === 0 ? -1 : -4 - (k % 7) * 0.1, startRow: 0, length: 40, x: 100 + (k % 440) });
  const bottoms = [40, 230, 420, 610];
  bottoms.forEach((x0, lane) => {
    const lineX = (dx: number) => (i: number) => x0 + dx + ((320 - x0) * i) / 100;
    const base = 300 + lane * 600;
    writeRow(raw, base, { logit: 4 - lane * 0.3, startRow: 0, length: 50, x: lineX(0) });
    [3, -4, 6].forEach((dx, d) =>
      writeRow(raw, base + 10 + d, { logit: 2 - d * 0.2 - lane * 0.1, startRow: 0, length: 48, x: lineX(dx) }),
    );
  });
  return raw;
}

/**
 * A UFLD output [1, G + 1, R, L] (logits per grid cell, cell G = "absent") whose lane `l` sits in
 * grid cell `cell(l, r)` at row anchor r, or is absent where that returns null.
 */
export function syntheticUfld(
  G: number,
  R: number,
  L: number,
  cell: (lane: number, row: number) => number | null,
): { raw: Float32Array; shape: number[] } {
  const raw = new Float32Array((G + 1) * R * L);
  for (let r = 0; r < R; r++)
    for (let l = 0; l < L; l++) {
      const c = cell(l, r);
      raw[((c ?? G) * R + r) * L + l] = 10;
    }
  return { raw, shape: [1, G + 1, R, L] };
}

/** TuSimple-style UFLD output: lanes 0..2 slant across the lower rows, lane 3 absent everywhere. */
export const syntheticUfldTusimple = () =>
  syntheticUfld(100, 56, 4, (l, r) => (l === 3 || r < 20 ? null : Math.round(15 + l * 30 + (r - 20) * 0.3)));

/**
 * Six 1280 x 720 TuSimple frames (56 h_samples from 160) with four straight lanes each, converging
 * on a horizon near y = 250 where the labels start; x outside the image is absent (-2), as in the
 * real labels. raw_file names follow the real set's pattern ("tusimple/000N.png").
 */
export function syntheticTusimpleFrames(): { raw_file: string; h_samples: number[]; lanes: number[][] }[] {
  const h_samples = Array.from({ length: 56 }, (_, i) => 160 + 10 * i);
  return Array.from({ length: 6 }, (_, f) => {
    const vanishX = 600 + 20 * f;
    const bottoms = [-150 + 15 * f, 330 + 10 * f, 860 - 5 * f, 1400 - 10 * f];
    const lanes = bottoms.map((b) =>
      h_samples.map((y) => {
        if (y < 250 + 4 * f) return -2;
        const x = vanishX + ((b - vanishX) * (y - 240)) / (720 - 240);
        return x >= 0 && x < 1280 ? Math.round(x) : -2;
      }),
    );
    return { raw_file: `tusimple/000${f}.png`, h_samples, lanes };
  });
}

/** Three CULane lanes in a 1640 x 590 frame: points bottom -> top every 10 px, x may be negative. */
export function syntheticCulaneLanes(): [number, number][][] {
  return [-20, 680, 1500].map((bottomX) => {
    const pts: [number, number][] = [];
    for (let y = 590; y >= 300; y -= 10) pts.push([bottomX + ((820 - bottomX) * (590 - y)) / 330, y]);
    return pts;
  });
}
