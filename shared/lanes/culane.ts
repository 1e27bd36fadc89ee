/**
 * CULane `.lines.txt` (METRICS.md section 3): one lane per line, `x y x y ...` (floats, usually a
 * trailing space), GT points bottom -> top; x may lie outside the image. The caller reads the file;
 * these functions only parse and format text.
 */
import { LaneLabelError } from './errors';
import { normalisedLaneSpline } from './spline';
import type { Point } from './types';

export const CULANE_W = 1640;
export const CULANE_H = 590;

/** Parses a `.lines.txt` text into lanes (point lists in file order). Empty file -> no lanes. */
export function parseCulaneLines(text: string, source?: string): Point[][] {
  const lanes: Point[][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields.length % 2 !== 0) {
      throw new LaneLabelError(`odd number of values (${fields.length}): expected "x y" pairs`, source, i + 1);
    }
    const lane: Point[] = [];
    for (let j = 0; j < fields.length; j += 2) {
      const x = Number(fields[j]);
      const y = Number(fields[j + 1]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        const bad = Number.isFinite(x) ? fields[j + 1] : fields[j];
        throw new LaneLabelError(`value ${j / 2 + 1} is not a number: "${bad}"`, source, i + 1);
      }
      lane.push([x, y]);
    }
    lanes.push(lane);
  }
  return lanes;
}

/** Formats lanes as `.lines.txt` ("x y " pairs, one lane per line, like the GT files). */
export function formatCulaneLines(lanes: readonly (readonly Point[])[], digits = 5): string {
  return lanes
    .filter((l) => l.length > 0)
    .map((l) => l.map(([x, y]) => `${+x.toFixed(digits)} ${+y.toFixed(digits)} `).join('') + '\n')
    .join('');
}

/**
 * Resamples a lane (pixel points of a `width x height` frame) the way LaneATT writes CULane
 * predictions (culane.py get_prediction_string): spline x(y) evaluated at every row
 * `y = 0..height-1` within 0.01 (normalised) of the lane's y range, kept where 0 <= x < width,
 * listed bottom -> top.
 */
export function lanePointsToCulane(points: readonly Point[], width = CULANE_W, height = CULANE_H): Point[] {
  const spline = normalisedLaneSpline(
    [...points].sort((a, b) => a[1] - b[1]),
    width,
    height,
  );
  if (!spline) return [];
  const { x: f, minY, maxY } = spline;
  const out: Point[] = [];
  for (let row = height - 1; row >= 0; row--) {
    const yn = row / height;
    if (yn < minY || yn > maxY) continue;
    const x = f(yn);
    if (x >= 0 && x < 1) out.push([x * width, yn * height]);
  }
  return out;
}
