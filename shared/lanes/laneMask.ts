/**
 * Lane masks for the CULane metric, as the official C++ evaluator draws them
 * (evaluation/culane/src/lane_compare.cpp, spline.cpp): a lane with more than 2 points is densified
 * by a parametric natural cubic spline (chord-length parameter, 50 samples per segment), then
 * every consecutive pair is drawn as a `laneWidth`-thick line with round ends (cv::line with
 * integer end points) on a `width x height` canvas.
 */
import type { Point } from './types';

/** Parametric natural cubic spline through the points, `times` samples per segment plus the last point. */
export function splineInterpTimes(points: readonly Point[], times = 50): Point[] {
  // Coincident neighbours give a zero-length segment (division by zero upstream): skip them.
  const pts: Point[] = [];
  for (const p of points) {
    const q = pts[pts.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) pts.push(p);
  }
  const n = pts.length;
  if (n < 2) return pts.slice();
  if (n === 2) {
    const [[x1, y1], [x2, y2]] = pts;
    const out: Point[] = [];
    for (let k = 0; k <= times; k++) out.push([x1 + ((x2 - x1) * k) / times, y1 + ((y2 - y1) * k) / times]);
    return out;
  }
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = Math.hypot(pts[i + 1][0] - pts[i][0], pts[i + 1][1] - pts[i][1]);
  const mx = naturalSecondDerivatives(pts, h, 0);
  const my = naturalSecondDerivatives(pts, h, 1);
  const out: Point[] = [];
  for (let j = 0; j < n - 1; j++) {
    const coef = (m: Float64Array, d: 0 | 1) => {
      const a = pts[j][d];
      const b = (pts[j + 1][d] - pts[j][d]) / h[j] - (2 * h[j] * m[j] + h[j] * m[j + 1]) / 6;
      return [a, b, m[j] / 2, (m[j + 1] - m[j]) / (6 * h[j])];
    };
    const [ax, bx, cx, dx] = coef(mx, 0);
    const [ay, by, cy, dy] = coef(my, 1);
    const delta = h[j] / times;
    for (let k = 0; k < times; k++) {
      const t = delta * k;
      out.push([ax + bx * t + cx * t * t + dx * t * t * t, ay + by * t + cy * t * t + dy * t * t * t]);
    }
  }
  out.push(pts[n - 1]);
  return out;
}

/** Natural spline (M0 = Mn-1 = 0) second derivatives of coordinate `d` by the tridiagonal (Thomas) solve. */
function naturalSecondDerivatives(pts: readonly Point[], h: Float64Array, d: 0 | 1): Float64Array {
  const n = pts.length;
  const m = new Float64Array(n);
  const k = n - 2;
  const c = new Float64Array(k);
  const r = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const a = h[i];
    const b = 2 * (h[i] + h[i + 1]);
    const rhs = 6 * ((pts[i + 2][d] - pts[i + 1][d]) / h[i + 1] - (pts[i + 1][d] - pts[i][d]) / h[i]);
    const denom = i === 0 ? b : b - a * c[i - 1];
    c[i] = h[i + 1] / denom;
    r[i] = i === 0 ? rhs / denom : (rhs - a * r[i - 1]) / denom;
  }
  if (k > 0) m[k] = r[k - 1];
  for (let i = k - 2; i >= 0; i--) m[i + 1] = r[i] - c[i] * m[i + 2];
  return m;
}

/** A binary lane mask with the bounding box of its set pixels (for fast IoU). */
export interface LaneMask {
  width: number;
  height: number;
  data: Uint8Array;
  area: number;
  x0: number;
  y0: number;
  x1: number; // inclusive
  y1: number;
}

export interface MaskOptions {
  width?: number;
  height?: number;
  laneWidth?: number;
  /** Densify lanes with > 2 points by the official spline (default true). */
  interpolate?: boolean;
}

/** Rasterises one lane; lanes with fewer than 2 points give an empty mask (similarity 0 upstream). */
export function rasterizeLane(points: readonly Point[], options: MaskOptions = {}): LaneMask {
  const width = options.width ?? 1640;
  const height = options.height ?? 590;
  const radius = (options.laneWidth ?? 30) / 2;
  const mask: LaneMask = {
    width,
    height,
    data: new Uint8Array(width * height),
    area: 0,
    x0: width,
    y0: height,
    x1: -1,
    y1: -1,
  };
  if (points.length < 2) return mask;
  const dense = options.interpolate === false || points.length === 2 ? points : splineInterpTimes(points, 50);
  // cv::line takes integer points (cvRound of the Point2f): identical neighbours add nothing.
  const ints: Point[] = [];
  for (const [x, y] of dense) {
    const p: Point = [Math.round(x), Math.round(y)];
    const q = ints[ints.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) ints.push(p);
  }
  if (ints.length === 1) ints.push(ints[0]);
  const r2 = radius * radius;
  const ext = Math.ceil(radius);
  for (let s = 0; s + 1 < ints.length; s++) {
    const [ax, ay] = ints[s];
    const [bx, by] = ints[s + 1];
    const minX = Math.max(0, Math.min(ax, bx) - ext);
    const maxX = Math.min(width - 1, Math.max(ax, bx) + ext);
    const minY = Math.max(0, Math.min(ay, by) - ext);
    const maxY = Math.min(height - 1, Math.max(ay, by) + ext);
    if (minX > maxX || minY > maxY) continue;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    for (let y = minY; y <= maxY; y++) {
      const row = y * width;
      for (let x = minX; x <= maxX; x++) {
        // Distance from the pixel centre to the segment (a capsule = thick line with round caps).
        let t = len2 === 0 ? 0 : ((x - ax) * dx + (y - ay) * dy) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = ax + t * dx - x;
        const ey = ay + t * dy - y;
        if (ex * ex + ey * ey <= r2 && mask.data[row + x] === 0) {
          mask.data[row + x] = 1;
          mask.area++;
          if (x < mask.x0) mask.x0 = x;
          if (x > mask.x1) mask.x1 = x;
          if (y < mask.y0) mask.y0 = y;
          if (y > mask.y1) mask.y1 = y;
        }
      }
    }
  }
  return mask;
}

/** |A and B| / |A or B| of two masks of the same size (0 when both are empty). */
export function maskIou(a: LaneMask, b: LaneMask): number {
  const x0 = Math.max(a.x0, b.x0),
    x1 = Math.min(a.x1, b.x1);
  const y0 = Math.max(a.y0, b.y0),
    y1 = Math.min(a.y1, b.y1);
  let inter = 0;
  for (let y = y0; y <= y1; y++) {
    const row = y * a.width;
    for (let x = x0; x <= x1; x++) inter += a.data[row + x] & b.data[row + x];
  }
  const union = a.area + b.area - inter;
  return union === 0 ? 0 : inter / union;
}
