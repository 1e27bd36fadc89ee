/**
 * What the inspector exports, as pure data: the metrics table (CSV), the whole sequence with both
 * A/B slots (JSON), and TuSimple-format predictions of one slot (JSON lines that the official
 * evaluator and shared/lanes' tusimpleAccuracy read). Every export covers the results of the source
 * on screen only (results of an earlier source never reach the store: see the controller), one
 * row or entry per frame and slot, in frame order and A before B, named by the frame's file (and
 * a video frame's time from the file's frame times).
 */
import { lanesToTusimpleFrame, TUSIMPLE_H, TUSIMPLE_H_SAMPLES, type TusimpleFrame } from '../../../../shared/lanes';
import type { DecoderSettings, PreprocessSettings } from '../../../../shared/inference';
import type { RawResult } from '../../state/inference';
import { decodeResult, frameScore, gtFor, slotOfResultKey, type GtSet, type Slot, type SourceShape } from './model';

/** A video's frame times (seconds), when the file gave them. */
export type FrameTimes = readonly number[] | null;

/** The frame's file: an image's folder path or name; a video's file name. */
export function frameFile(source: SourceShape | null, index: number): string {
  if (!source) return '';
  if (source.kind === 'images') {
    const item = source.items[index];
    return item ? (item.path ?? item.name) : '';
  }
  return source.name ?? '';
}

/** Cached results in frame order, slot A before B. */
export function orderedResults(results: Readonly<Record<string, RawResult>>): { slot: Slot; result: RawResult }[] {
  return Object.entries(results)
    .map(([key, result]) => ({ slot: slotOfResultKey(key), result }))
    .sort((x, y) => x.result.frameIndex - y.result.frameIndex || (x.slot < y.slot ? -1 : x.slot > y.slot ? 1 : 0));
}

// ----- metrics table --------------------------------------------------------------------------

export const METRICS_HEADER = [
  'file',
  'frame',
  'time_s',
  'slot',
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
  times: FrameTimes = null,
): string[][] {
  const rows: string[][] = [METRICS_HEADER];
  for (const { slot, result: r } of orderedResults(results)) {
    const d = decodeResult(r, settings, false);
    const lanes = d.decoded?.lanes ?? [];
    const s = frameScore(d.decoded, gtFor(gt, source, r.frameIndex), r.frameW, r.frameH);
    const mean = lanes.length ? lanes.reduce((a, l) => a + l.score, 0) / lanes.length : NaN;
    const time = times?.[r.frameIndex];
    rows.push([
      frameFile(source, r.frameIndex),
      String(r.frameIndex + 1),
      time !== undefined ? time.toFixed(6) : '',
      slot,
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

// ----- the whole sequence ---------------------------------------------------------------------

/** One slot's result for a frame, as exported. */
export function slotJson(r: RawResult, settings: DecoderSettings, gtFrame: TusimpleFrame | null) {
  const d = decodeResult(r, settings, false);
  const s = frameScore(d.decoded, gtFrame, r.frameW, r.frameH);
  return {
    model: r.model,
    output: { name: r.output.name, shape: r.output.shape },
    decoder: d.decoded?.decoder ?? null,
    options: d.decoded?.options,
    error: d.error ?? undefined,
    lanes: d.decoded?.lanes.map((l) => ({ score: l.score, points: l.points })) ?? [],
    tusimple: s ? { accuracy: s.accuracy, fp: s.fp, fn: s.fn } : undefined,
    timing: r.timing,
  };
}

export interface SequenceFrame {
  index: number;
  file: string;
  time_s?: number;
  gt_raw_file?: string;
  width: number;
  height: number;
  a?: ReturnType<typeof slotJson>;
  b?: ReturnType<typeof slotJson>;
}

/** Every inferred frame of the source with both slots' lanes, scores and timings. */
export function sequenceJson(
  results: Readonly<Record<string, RawResult>>,
  settings: DecoderSettings,
  gt: GtSet | null,
  source: SourceShape | null,
  preprocess: PreprocessSettings,
  times: FrameTimes = null,
) {
  const frames = new Map<number, SequenceFrame>();
  for (const { slot, result: r } of orderedResults(results)) {
    const g = gtFor(gt, source, r.frameIndex);
    const f = frames.get(r.frameIndex) ?? {
      index: r.frameIndex,
      file: frameFile(source, r.frameIndex),
      time_s: times?.[r.frameIndex],
      gt_raw_file: g?.raw_file,
      width: r.frameW,
      height: r.frameH,
    };
    f[slot] = slotJson(r, settings, g);
    frames.set(r.frameIndex, f);
  }
  return {
    source: {
      kind: source?.kind ?? null,
      name: source?.kind === 'video' ? source.name : source?.label,
      frames: source?.kind === 'images' ? source.items.length : (times?.length ?? null),
    },
    labels: gt?.name ?? null,
    preprocess,
    frames: [...frames.values()],
  };
}

// ----- TuSimple predictions -------------------------------------------------------------------

/** TuSimple's rows for a frame `h` pixels high without labels: 160..710, scaled from 720 rows. */
function defaultRows(h: number): number[] {
  const rows = TUSIMPLE_H_SAMPLES.map((y) => Math.round((y * h) / TUSIMPLE_H));
  return rows.filter((y, i) => i === 0 || y !== rows[i - 1]);
}

/**
 * One slot's predictions in TuSimple's format, one JSON object per inferred frame:
 * {"raw_file", "lanes", "h_samples", "run_time"}. A labelled frame takes its label's raw_file and
 * h_samples (so the evaluator pairs them); others their file path and TuSimple's rows. Lanes are
 * sampled as the on-screen score does (lanesToTusimpleFrame); run_time is the request's ms.
 */
export function tusimplePredictions(
  results: Readonly<Record<string, RawResult>>,
  slot: Slot,
  settings: DecoderSettings,
  gt: GtSet | null,
  source: SourceShape | null,
): string {
  const lines: string[] = [];
  for (const { slot: s, result: r } of orderedResults(results)) {
    if (s !== slot) continue;
    const lanes = decodeResult(r, settings, false).decoded?.lanes ?? [];
    const g = gtFor(gt, source, r.frameIndex);
    const rawFile = g?.raw_file ?? (frameFile(source, r.frameIndex) || `frame_${r.frameIndex + 1}`);
    const rows = g?.h_samples ?? defaultRows(r.frameH);
    const pred = lanesToTusimpleFrame(lanes, rawFile, rows, r.frameW, r.frameH);
    const runTime = Math.round(r.timing.requestMs * 1000) / 1000;
    lines.push(
      JSON.stringify({ raw_file: pred.raw_file, lanes: pred.lanes, h_samples: pred.h_samples, run_time: runTime }),
    );
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
