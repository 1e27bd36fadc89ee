/**
 * TuSimple lane labels/predictions (METRICS.md section 1): JSON lines, one frame per line,
 * `{"lanes": [[x...]...], "h_samples": [y...], "raw_file": "..."}`, -2 = no lane at that row.
 * Also the conversion of decoded lanes (point lists) to that format, as LaneATT/CLRNet do it.
 */
import { LaneLabelError } from './errors';
import { normalisedLaneSpline } from './spline';
import type { Point } from './types';

export interface TusimpleFrame {
  raw_file: string;
  h_samples: number[];
  /** One list per lane, aligned with h_samples; -2 (any negative) = absent. */
  lanes: number[][];
  /** Predictions only: milliseconds spent on the frame. */
  run_time?: number;
}

/** TuSimple image size and the 56 row heights of the 0531/0601/test sets (160..710). */
export const TUSIMPLE_W = 1280;
export const TUSIMPLE_H = 720;
export const TUSIMPLE_H_SAMPLES: readonly number[] = Array.from({ length: 56 }, (_, i) => 160 + 10 * i);

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Validates one parsed frame object; `where` names it in errors. */
export function toTusimpleFrame(obj: unknown, source?: string, line?: number): TusimpleFrame {
  const fail = (msg: string): never => {
    throw new LaneLabelError(msg, source, line);
  };
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail('expected a JSON object');
  const o = obj as Record<string, unknown>;
  if (!isNumberArray(o.h_samples)) return fail('field "h_samples" must be an array of numbers');
  if (!Array.isArray(o.lanes)) return fail('field "lanes" must be an array of lanes');
  const h = o.h_samples;
  // Lanes sampled at no rows cannot be scored (the metric divides by the row count).
  if (!h.length && o.lanes.length)
    return fail(
      `field "h_samples" is empty, but there ${o.lanes.length === 1 ? 'is 1 lane' : `are ${o.lanes.length} lanes`}`,
    );
  o.lanes.forEach((lane, i) => {
    if (!isNumberArray(lane)) fail(`field "lanes[${i}]" must be an array of numbers`);
    else if (lane.length !== h.length) {
      fail(`field "lanes[${i}]" has ${lane.length} values but h_samples has ${h.length}`);
    }
  });
  const raw = o.raw_file ?? '';
  if (typeof raw !== 'string') return fail('field "raw_file" must be a string');
  const frame: TusimpleFrame = { raw_file: raw, h_samples: h, lanes: o.lanes as number[][] };
  if (o.run_time !== undefined) {
    if (typeof o.run_time !== 'number') return fail('field "run_time" must be a number');
    frame.run_time = o.run_time;
  }
  return frame;
}

/**
 * Parses a TuSimple label or prediction file: JSON lines (the official layout); a single JSON
 * array of frames is accepted too. Blank lines are skipped. Errors name the source and line.
 */
export function parseTusimpleJson(text: string, source?: string): TusimpleFrame[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(trimmed);
    } catch (e) {
      throw new LaneLabelError(`invalid JSON: ${(e as Error).message}`, source);
    }
    if (!Array.isArray(arr)) throw new LaneLabelError('expected an array of frames', source);
    // No line numbers in one JSON array: errors name the frame (0-based, its index in the array).
    return arr.map((o, i) => toTusimpleFrame(o, source ? `${source} frame ${i}` : `frame ${i}`));
  }
  const frames: TusimpleFrame[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(l);
    } catch (e) {
      throw new LaneLabelError(`invalid JSON: ${(e as Error).message}`, source, i + 1);
    }
    frames.push(toTusimpleFrame(obj, source, i + 1));
  }
  return frames;
}

/** Serialises frames as JSON lines (the format the official evaluator reads). */
export function formatTusimpleJson(frames: TusimpleFrame[]): string {
  return frames.map((f) => JSON.stringify(f)).join('\n') + (frames.length ? '\n' : '');
}

/**
 * Samples a lane given as pixel points of a `width x height` image at the rows `hSamples`,
 * the way LaneATT/CLRNet write TuSimple predictions (lib/datasets/tusimple.py pred2lanes):
 * spline x(y) through the normalised points, valid within 0.01 (normalised) of the lane's
 * y range, `int(x * width)`, -2 where absent or x < 0.
 */
export function lanePointsToTusimple(
  points: readonly Point[],
  hSamples: readonly number[],
  width = TUSIMPLE_W,
  height = TUSIMPLE_H,
): number[] {
  const sorted = [...points].filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).sort((a, b) => a[1] - b[1]);
  const spline = normalisedLaneSpline(sorted, width, height);
  if (!spline) return hSamples.map(() => -2);
  const { x: f, minY, maxY } = spline;
  return hSamples.map((h) => {
    const yq = h / height;
    if (yq < minY || yq > maxY) return -2;
    const x = f(yq);
    return x < 0 ? -2 : Math.trunc(x * width);
  });
}

/** Converts decoded lanes (points in pixels of a `width x height` frame) to a TuSimple prediction frame. */
export function lanesToTusimpleFrame(
  lanes: readonly { points: readonly Point[] }[],
  rawFile: string,
  hSamples: readonly number[] = TUSIMPLE_H_SAMPLES,
  width = TUSIMPLE_W,
  height = TUSIMPLE_H,
  runTimeMs?: number,
): TusimpleFrame {
  const frame: TusimpleFrame = {
    raw_file: rawFile,
    h_samples: [...hSamples],
    lanes: lanes.map((l) => lanePointsToTusimple(l.points, hSamples, width, height)),
  };
  if (runTimeMs !== undefined) frame.run_time = runTimeMs;
  return frame;
}

/** The (x, y) pixel points of a TuSimple lane (rows with x >= 0), top -> bottom. */
export function tusimpleLanePoints(xs: readonly number[], hSamples: readonly number[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < xs.length; i++) if (xs[i] >= 0) out.push([xs[i], hSamples[i]]);
  return out;
}
