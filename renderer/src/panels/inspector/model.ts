/**
 * The inspector model: pure functions shared by the view, the exporters and the tests. Frame keys,
 * the ground-truth lookup (images by file name, video frames by number), decoding a cached raw
 * result under the decoder settings (through shared/inference's one decode policy, memoised per
 * result and setting), and per-frame and sequence TuSimple scores (the exports' tables are in
 * exportData.ts). No React, no store: every input is an argument.
 */
import {
  lanesToTusimpleFrame,
  tusimpleFrameScore,
  tusimpleLaneMatches,
  tusimpleLanePoints,
  type Point,
  type TusimpleFrame,
  type TusimpleFrameScore,
} from '../../../../shared/lanes';
import {
  countNonFinite,
  decodeOutput,
  type DecodedLanes,
  type DecoderSettings,
  type NonFiniteCount,
} from '../../../../shared/inference';
import type { RawResult } from '../../state/inference';

export type Slot = 'a' | 'b';

// ----- frame keys -----------------------------------------------------------------------------

export function imageFrameKey(index: number, name: string): string {
  return `img:${index}:${name}`;
}
export function videoFrameKey(index: number): string {
  return `vid:${index}`;
}
export function resultKey(slot: Slot, frameKey: string): string {
  return `${slot}|${frameKey}`;
}
export function slotOfResultKey(key: string): Slot {
  return key.startsWith('b|') ? 'b' : 'a';
}

// ----- ground truth ---------------------------------------------------------------------------

export interface GtSet {
  name: string;
  frames: TusimpleFrame[];
}

/** What the GT lookup needs to know of the source: image names (and folder paths), or that it is a video. */
export type SourceShape =
  | { kind: 'images'; items: readonly { name: string; path?: string }[]; label?: string }
  | { kind: 'video'; name?: string };

const segments = (p: string) => p.toLowerCase().split(/[\\/]/).filter(Boolean);

/** GT frames by lower-cased base name, built once per label set. */
const byBaseName = new WeakMap<GtSet, Map<string, TusimpleFrame[]>>();
function framesNamed(gt: GtSet, name: string): TusimpleFrame[] {
  let index = byBaseName.get(gt);
  if (!index) {
    index = new Map();
    for (const f of gt.frames) {
      const base = segments(f.raw_file).pop() ?? '';
      index.set(base, [...(index.get(base) ?? []), f]);
    }
    byBaseName.set(gt, index);
  }
  return index.get(segments(name).pop() ?? '') ?? [];
}

/** How many trailing path segments two paths share. */
function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * The GT frame for frame `index` of the source. Images by file name: where several labels share it
 * (TuSimple clips all hold 1.jpg..20.jpg), the one whose raw_file shares the longest tail with the
 * image's folder path. Video frames by frame time.
 */
export function gtFor(gt: GtSet | null, source: SourceShape | null, index: number): TusimpleFrame | null {
  if (!gt || !source) return null;
  if (source.kind === 'images') {
    const item = source.items[index];
    if (!item) return null;
    const named = framesNamed(gt, item.name);
    if (named.length <= 1) return named[0] ?? null;
    const path = segments(item.path ?? item.name);
    let best = named[0],
      bestTail = 0;
    for (const f of named) {
      const tail = sharedTail(segments(f.raw_file), path);
      if (tail > bestTail) [best, bestTail] = [f, tail];
    }
    return best;
  }
  // Video: label N belongs to the file's frame N, the one presented at its N-th frame time (the
  // index comes from the container's frame times, never from time x an assumed rate). raw_file
  // names carry the frame number when present; otherwise labels are in frame order.
  return framesByNumber(gt).get(index) ?? gt.frames[index] ?? null;
}

/**
 * Labels by the frame number in their raw_file (the first label with a number wins), built once per
 * label set: the sequence score looks up every inferred frame, several times a second while playing.
 */
const byNumber = new WeakMap<GtSet, Map<number, TusimpleFrame>>();
function framesByNumber(gt: GtSet): Map<number, TusimpleFrame> {
  let index = byNumber.get(gt);
  if (!index) {
    index = new Map();
    for (const f of gt.frames) {
      const m = /(\d+)\.[a-z]+$/i.exec(f.raw_file);
      if (m && !index.has(Number(m[1]))) index.set(Number(m[1]), f);
    }
    byNumber.set(gt, index);
  }
  return index;
}

/** Number of source frames that have a label. */
export function labelledCount(gt: GtSet, source: SourceShape): number {
  return source.kind === 'images' ? source.items.filter((_, i) => gtFor(gt, source, i)).length : gt.frames.length;
}

export function gtLanePoints(frame: TusimpleFrame): Point[][] {
  return frame.lanes.map((xs) => tusimpleLanePoints(xs, frame.h_samples)).filter((p) => p.length > 1);
}

// ----- decoding -------------------------------------------------------------------------------

export interface Decoded {
  result: RawResult | null;
  /** The result belongs to an earlier frame (video running ahead of inference). */
  stale: boolean;
  decoded: DecodedLanes | null;
  decodeMs: number | null;
  error: string | null;
  /** NaN/±Infinity in the output (an overflow): null when every value is finite. */
  nonFinite: NonFiniteCount | null;
}

export const NO_RESULT: Decoded = Object.freeze({
  result: null,
  stale: false,
  decoded: null,
  decodeMs: null,
  error: null,
  nonFinite: null,
});

interface CacheEntry {
  settings: DecoderSettings;
  proposals: boolean;
  value: Omit<Decoded, 'stale'>;
}
/** Told each decode's time (the pipeline statistics); set once by the view. */
let onDecode: ((ms: number) => void) | undefined;
export function reportDecodeTimes(fn: ((ms: number) => void) | undefined): void {
  onDecode = fn;
}

/** One decode per (result, settings, proposals): the stage, the controls and the scores share it. */
const decodeCache = new WeakMap<RawResult, CacheEntry>();

export function decodeResult(
  result: RawResult | null,
  settings: DecoderSettings,
  wantProposals: boolean,
  stale = false,
): Decoded {
  if (!result) return NO_RESULT;
  const hit = decodeCache.get(result);
  if (hit && hit.settings === settings && (hit.proposals === wantProposals || (hit.proposals && !wantProposals)))
    return { ...hit.value, stale };
  let value: Omit<Decoded, 'stale'>;
  // Counted once per result (a new setting reuses the count): a pass over the output's values.
  const counted = hit ? hit.value.nonFinite : countNonFinite(result.output.values);
  const nonFinite = counted && counted.nan + counted.infinite > 0 ? counted : null;
  const t0 = performance.now();
  try {
    const decoded = decodeOutput(result.output, { w: result.frameW, h: result.frameH }, settings, wantProposals);
    value = { result, decoded, decodeMs: performance.now() - t0, error: null, nonFinite };
    onDecode?.(value.decodeMs!);
  } catch (e) {
    value = { result, decoded: null, decodeMs: null, error: e instanceof Error ? e.message : String(e), nonFinite };
  }
  decodeCache.set(result, { settings, proposals: wantProposals, value });
  return { ...value, stale };
}

// ----- scores ---------------------------------------------------------------------------------

export function frameScore(
  decoded: DecodedLanes | null,
  gt: TusimpleFrame | null,
  w: number,
  h: number,
): TusimpleFrameScore | null {
  if (!decoded || !gt) return null;
  const hit = scoreCache.get(decoded);
  if (hit && hit.gt === gt && hit.w === w && hit.h === h) return hit.score;
  const pred = lanesToTusimpleFrame(decoded.lanes, gt.raw_file, gt.h_samples, w, h);
  let score: TusimpleFrameScore | null;
  try {
    score = tusimpleFrameScore(pred.lanes, gt.lanes, gt.h_samples, 0);
  } catch {
    score = null;
  }
  scoreCache.set(decoded, { gt, w, h, score });
  return score;
}

/**
 * The last score of each decoded result (decodeResult keeps one decoding per result and settings):
 * the sequence score re-reads every inferred frame's score whenever a result arrives, and fitting
 * the lanes' splines again each time made it grow with the length of the video.
 */
const scoreCache = new WeakMap<
  DecodedLanes,
  { gt: TusimpleFrame; w: number; h: number; score: TusimpleFrameScore | null }
>();

/**
 * TP / FP per decoded lane and found / missed per GT lane, by the TuSimple metric's rule (what the
 * stage colours). `gtFound` is aligned with `gt.lanes`.
 */
export function judgeLanes(
  decoded: DecodedLanes | null,
  gt: TusimpleFrame | null,
  w: number,
  h: number,
): { match: ('tp' | 'fp')[]; gtFound: boolean[] } | null {
  if (!decoded || !gt) return null;
  const pred = lanesToTusimpleFrame(decoded.lanes, gt.raw_file, gt.h_samples, w, h);
  const { predMatched, gtFound } = tusimpleLaneMatches(pred.lanes, gt.lanes, gt.h_samples);
  return { match: predMatched.map((m) => (m ? 'tp' : 'fp')), gtFound };
}

export interface SequenceScore {
  /** Labelled frames that have a result of slot A. */
  frames: number;
  labelled: number;
  accuracy: number;
  fp: number;
  fn: number;
}

/**
 * TuSimple accuracy over every labelled frame inferred so far with slot A (the official metric
 * averages per-frame scores, so frames not yet inferred are simply not counted: the count says so).
 */
export function sequenceScore(
  results: Readonly<Record<string, RawResult>>,
  gt: GtSet | null,
  source: SourceShape | null,
  settings: DecoderSettings,
): SequenceScore | null {
  if (!gt || !source) return null;
  let n = 0,
    acc = 0,
    fp = 0,
    fn = 0;
  for (const [key, r] of Object.entries(results)) {
    if (slotOfResultKey(key) !== 'a') continue;
    const g = gtFor(gt, source, r.frameIndex);
    if (!g) continue;
    const s = frameScore(decodeResult(r, settings, false).decoded, g, r.frameW, r.frameH);
    if (!s) continue;
    n++;
    acc += s.accuracy;
    fp += s.fp;
    fn += s.fn;
  }
  const labelled = labelledCount(gt, source);
  return n
    ? { frames: n, labelled, accuracy: acc / n, fp: fp / n, fn: fn / n }
    : { frames: 0, labelled, accuracy: 0, fp: 0, fn: 0 };
}
