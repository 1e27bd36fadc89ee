/**
 * The interpolating spline LaneATT/CLRNet use to resample a lane at fixed heights:
 * `scipy.interpolate.InterpolatedUnivariateSpline(y, x, k=min(3, n-1))` (FITPACK, s = 0).
 * With s = 0 FITPACK puts the interior knots of a cubic at the data points y[2..n-3], which is
 * exactly the "not-a-knot" cubic spline; with 3 points (k = 2) it has no interior knot, i.e. the
 * parabola through them; with 2 points (k = 1) the straight line. Outside the data the end pieces
 * are extrapolated (scipy's default ext=0).
 */
import type { Point } from './types';

export type Interpolant = (t: number) => number;

/** x(y) of a lane in normalised coordinates, and the y range (widened by 0.01) where it is valid. */
export interface NormalisedLaneSpline {
  x: Interpolant;
  minY: number;
  maxY: number;
}

/**
 * The spline LaneATT/CLRNet fit when they write TuSimple/CULane predictions: x(y) through the
 * lane's pixel points divided by the frame size, valid within 0.01 (normalised) of the lane's y
 * range. `sortedByY` must be sorted by y; of equal ys the first is kept (the spline needs strictly
 * increasing y). Undefined when fewer than 2 distinct ys remain.
 */
export function normalisedLaneSpline(
  sortedByY: readonly Point[],
  width: number,
  height: number,
): NormalisedLaneSpline | undefined {
  const ys: number[] = [];
  const xs: number[] = [];
  for (const [x, y] of sortedByY) {
    const yn = y / height;
    if (ys.length && yn <= ys[ys.length - 1]) continue;
    ys.push(yn);
    xs.push(x / width);
  }
  if (ys.length < 2) return undefined;
  return { x: interpolatingSpline(ys, xs), minY: ys[0] - 0.01, maxY: ys[ys.length - 1] + 0.01 };
}

/** Interpolant through (ts[i], xs[i]); `ts` must be strictly increasing, at least 2 points. */
export function interpolatingSpline(ts: ArrayLike<number>, xs: ArrayLike<number>): Interpolant {
  const n = ts.length;
  if (n !== xs.length) throw new Error('interpolatingSpline: ts and xs differ in length');
  if (n < 2) throw new Error('interpolatingSpline: needs at least 2 points');
  for (let i = 1; i < n; i++) {
    if (!(ts[i] > ts[i - 1])) throw new Error('interpolatingSpline: ts must be strictly increasing');
  }
  if (n === 2) {
    const t0 = ts[0],
      x0 = xs[0],
      slope = (xs[1] - xs[0]) / (ts[1] - ts[0]);
    return (t) => x0 + slope * (t - t0);
  }
  if (n === 3) {
    const [t0, t1, t2] = [ts[0], ts[1], ts[2]];
    const [x0, x1, x2] = [xs[0], xs[1], xs[2]];
    return (t) =>
      (x0 * (t - t1) * (t - t2)) / ((t0 - t1) * (t0 - t2)) +
      (x1 * (t - t0) * (t - t2)) / ((t1 - t0) * (t1 - t2)) +
      (x2 * (t - t0) * (t - t1)) / ((t2 - t0) * (t2 - t1));
  }
  const m = notAKnotSecondDerivatives(ts, xs);
  const t = Float64Array.from(ts);
  const x = Float64Array.from(xs);
  return (v) => {
    // Interval containing v; the end intervals extend to +-infinity (extrapolation).
    let lo = 0;
    let hi = n - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    const j = lo;
    const h = t[j + 1] - t[j];
    const a = t[j + 1] - v;
    const b = v - t[j];
    return (
      (m[j] * a * a * a + m[j + 1] * b * b * b) / (6 * h) +
      (x[j] / h - (m[j] * h) / 6) * a +
      (x[j + 1] / h - (m[j + 1] * h) / 6) * b
    );
  };
}

/** Second derivatives at the knots of the not-a-knot cubic spline (n >= 4), dense solve (n <= ~100). */
function notAKnotSecondDerivatives(ts: ArrayLike<number>, xs: ArrayLike<number>): Float64Array {
  const n = ts.length;
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = ts[i + 1] - ts[i];
  const a = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  // Third derivative continuous at t[1] and t[n-2].
  a[0] = h[1];
  a[1] = -(h[0] + h[1]);
  a[2] = h[0];
  for (let i = 1; i < n - 1; i++) {
    a[i * n + i - 1] = h[i - 1];
    a[i * n + i] = 2 * (h[i - 1] + h[i]);
    a[i * n + i + 1] = h[i];
    rhs[i] = 6 * ((xs[i + 1] - xs[i]) / h[i] - (xs[i] - xs[i - 1]) / h[i - 1]);
  }
  const last = (n - 1) * n;
  a[last + n - 3] = h[n - 2];
  a[last + n - 2] = -(h[n - 3] + h[n - 2]);
  a[last + n - 1] = h[n - 3];
  return solveDense(a, rhs, n);
}

/** Gaussian elimination with partial pivoting; `a` is row-major n x n and is overwritten. */
function solveDense(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const tmp = a[col * n + c];
        a[col * n + c] = a[pivot * n + c];
        a[pivot * n + c] = tmp;
      }
      const tb = b[col];
      b[col] = b[pivot];
      b[pivot] = tb;
    }
    const p = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      b[r] -= f * b[col];
    }
  }
  const out = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= a[r * n + c] * out[c];
    out[r] = s / a[r * n + r];
  }
  return out;
}
