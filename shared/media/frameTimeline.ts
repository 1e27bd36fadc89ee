/**
 * A video's frame timeline: the presentation time of every frame, read once from the file's
 * container (shared/media/webm.ts, the renderer's MP4 reader). Frame numbers, stepping, seeking and
 * the ground-truth lookup all go through it, so frame N is the file's N-th frame whatever its rate
 * (10 fps, 29.97 fps, or variable) instead of `time * assumed fps`.
 */

export interface FrameTimeline {
  /** Presentation time of each frame in seconds, ascending (frame i starts at times[i]). */
  times: readonly number[];
  /** Frames per second from the median step between frames (for display; VFR files have none exact). */
  fps: number;
  /** The container it was read from, e.g. "WebM" or "MP4". */
  container: string;
}

/**
 * How far before a frame's start a time may be and still count as that frame: media times come in
 * whole microseconds (Chromium) or milliseconds (WebM timestamps), so a frame's own time read back
 * may be a hair below the value computed here.
 */
const TIME_SLACK_S = 1e-4;

/** Builds a timeline from presentation times in any order (duplicates dropped). */
export function frameTimeline(presentationTimes: readonly number[], container: string): FrameTimeline {
  const times = [...presentationTimes].filter((t) => Number.isFinite(t)).sort((a, b) => a - b);
  const unique = times.filter((t, i) => i === 0 || t - times[i - 1] > 1e-9);
  if (!unique.length) throw new Error(`${container}: the video track has no frames`);
  return { times: unique, fps: nominalFps(unique), container };
}

/**
 * The frame rate of a step between frames measured while playing (the file's frame times could not be
 * read): 1 / step to three decimals, so 29.97 stays 29.97 (rounded to 30, frame numbers would run one
 * ahead after ~33 s); null outside 1-240 fps.
 */
export function frameRateOfStep(stepS: number): number | null {
  if (!(stepS > 0)) return null;
  const fps = Math.round(1000 / stepS) / 1000;
  return fps >= 1 && fps <= 240 ? fps : null;
}

/** 1 / median step, to three decimals (29.97 stays 29.97); 0 for a single frame. */
export function nominalFps(times: readonly number[]): number {
  const steps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  if (!steps.length) return 0;
  const median = steps[Math.floor(steps.length / 2)];
  return median > 0 ? Math.round(1000 / median) / 1000 : 0;
}

/** The frame shown at media time `t`: the last frame that starts at or before it (0 before the first). */
export function frameAtTime(timeline: FrameTimeline, t: number): number {
  const { times } = timeline;
  let lo = 0,
    hi = times.length - 1;
  if (!(t + TIME_SLACK_S >= times[0])) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= t + TIME_SLACK_S) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where to seek to show frame `index`: the middle of its display interval, so decoder rounding on
 * either side still lands on it (the last frame lasts as long as the median step).
 */
export function seekTimeOfFrame(timeline: FrameTimeline, index: number): number {
  const { times } = timeline;
  const i = Math.max(0, Math.min(times.length - 1, Math.round(index)));
  const step = timeline.fps > 0 ? 1 / timeline.fps : 0;
  const end = i + 1 < times.length ? times[i + 1] : times[i] + step;
  return (times[i] + end) / 2;
}
