/**
 * The inspector model: pure functions shared by the view, the exporters and the tests. Frame keys,
 * the ground-truth lookup (images by file name, video frames by number), decoding a cached raw
 * result under the decoder settings (through shared/inference's one decode policy, memoised per
 * result and setting), per-frame and sequence TuSimple scores, and the metrics table. No React, no
 * store: every input is an argument.
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
import { decodeOutput, type DecodedLanes, type DecoderSettings } from '../../../../shared/inference';
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

/** What the GT lookup needs to know of the source: image names, or that it is a video. */
export type SourceShape = { kind: 'images'; items: readonly { name: string }[] } | { kind: 'video' };

const baseName = (p: string) => p.split(/[\\/]/).pop()!.toLowerCase();

/** The GT frame for frame `index` of the source: images by file name, video frames by number. */
export function gtFor(gt: GtSet | null, source: SourceShape | null, index: number): TusimpleFrame | null {
  if (!gt || !source) return null;
  if (source.kind === 'images') {
    const name = source.items[index]?.name;
    if (!name) return null;
    return (
      gt.frames.find((f) => baseName(f.raw_file) === baseName(name)) ??
      gt.frames.find((f) => f.raw_file.toLowerCase().endsWith(name.toLowerCase())) ??
      null
    );
  }
  // Video: labels are per frame, in order (raw_file names carry the frame number when present).
  const byNumber = gt.frames.find((f) => {
    const m = /(\d+)\.[a-z]+$/i.exec(f.raw_file);
    return m && Number(m[1]) === index;
  });
  return byNumber ?? gt.frames[index] ?? null;
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
}

export const NO_RESULT: Decoded = Object.freeze({
  result: null,
  stale: false,
  decoded: null,
  decodeMs: null,
  error: null,
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
  const t0 = performance.now();
  try {
    const decoded = decodeOutput(result.output, { w: result.frameW, h: result.frameH }, settings, wantProposals);
    value = { result, decoded, decodeMs: performance.now() - t0, error: null };
    onDecode?.(value.decodeMs!);
  } catch (e) {
    value = { result, decoded: null, decodeMs: null, error: e instanceof Error ? e.message : String(e) };
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
  const pred = lanesToTusimpleFrame(decoded.lanes, gt.raw_file, gt.h_samples, w, h);
  try {
    return tusimpleFrameScore(pred.lanes, gt.lanes, gt.h_samples, 0);
  } catch {
    return null;
  }
}

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

// ----- metrics table --------------------------------------------------------------------------

export const METRICS_HEADER = [
  'slot',
  'frame',
  'model',
  'lanes',
  'mean_score',
  'preprocess_ms',
  'request_ms',
  'rpc_ms',
  'decode_ms',
  'tusimple_acc',
  'fp',
  'fn',
];

/** One row per cached result, decoded with the current settings; GT found the same way as on screen. */
export function metricsRows(
  results: Readonly<Record<string, RawResult>>,
  settings: DecoderSettings,
  gt: GtSet | null,
  source: SourceShape | null,
): string[][] {
  const rows: string[][] = [METRICS_HEADER];
  const entries = Object.entries(results).sort(([, x], [, y]) => x.frameIndex - y.frameIndex);
  for (const [key, r] of entries) {
    const d = decodeResult(r, settings, false);
    const lanes = d.decoded?.lanes ?? [];
    const s = frameScore(d.decoded, gtFor(gt, source, r.frameIndex), r.frameW, r.frameH);
    const mean = lanes.length ? lanes.reduce((a, l) => a + l.score, 0) / lanes.length : NaN;
    rows.push([
      slotOfResultKey(key),
      String(r.frameIndex + 1),
      r.model,
      String(lanes.length),
      Number.isFinite(mean) ? mean.toFixed(4) : '',
      r.timing.preprocessMs.toFixed(2),
      r.timing.requestMs.toFixed(2),
      r.timing.rpcMs !== undefined ? r.timing.rpcMs.toFixed(2) : '',
      d.decodeMs !== null ? d.decodeMs.toFixed(3) : '',
      s ? s.accuracy.toFixed(4) : '',
      s ? s.fp.toFixed(4) : '',
      s ? s.fn.toFixed(4) : '',
    ]);
  }
  return rows;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return (
    rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n'
  );
}
