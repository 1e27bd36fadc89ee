/**
 * Exports: the frame with its lanes drawn (PNG, at the frame's own resolution), the decoded lanes
 * of the frame (JSON, both A/B slots), and for the whole source (exportData.ts): per-frame metrics
 * of every cached result (CSV), the sequence (JSON) and TuSimple predictions per slot (JSON lines),
 * decoded with the current settings. Files are named after the source.
 */
import { useApp } from '../../state/store';
import { LANE_COLORS } from '../../components/FrameStage';
import type { Lane, Point } from '../../../../shared/lanes';
import { gtFor, resultKey, type Slot } from './model';
import { metricsRows, sequenceJson, slotJson, tusimplePredictions, type FrameTimes } from './exportData';
import { toCsv } from '../../../../shared/csv';
import { usePlayback } from './playback';
import { exportJson } from '../../../../shared/exportJson';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function exportAnnotatedPng(
  source: CanvasImageSource | null,
  w: number,
  h: number,
  lanes: Lane[],
  gt: Point[][] | undefined,
  name: string,
): Promise<void> {
  if (!source) throw new Error('no frame to export');
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(source, 0, 0, w, h);
  const lw = Math.max(2, Math.round(w / 320));
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  if (gt) {
    // Same look as on screen: ground truth as a wide translucent band under the predictions.
    ctx.strokeStyle = 'rgba(255,255,255,0.32)';
    ctx.lineWidth = lw * 5;
    for (const pts of gt) stroke(ctx, pts);
  }
  lanes.forEach((l, i) => {
    ctx.strokeStyle = LANE_COLORS[i % LANE_COLORS.length];
    ctx.lineWidth = lw * 1.5;
    stroke(ctx, l.points);
    const top = l.points[0];
    if (top) {
      ctx.font = `${Math.max(12, lw * 6)}px monospace`;
      ctx.fillStyle = 'rgba(0,0,0,0.7)';
      const text = `${i + 1} ${l.score.toFixed(2)}`;
      const m = ctx.measureText(text);
      ctx.fillRect(top[0] - 2, top[1] - lw * 8, m.width + 6, lw * 7);
      ctx.fillStyle = LANE_COLORS[i % LANE_COLORS.length];
      ctx.fillText(text, top[0] + 1, top[1] - lw * 2.5);
    }
  });
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  download(blob, name);
}

function stroke(ctx: CanvasRenderingContext2D, pts: readonly Point[]): void {
  if (pts.length < 2) return;
  ctx.beginPath();
  ctx.moveTo(pts[0][0], pts[0][1]);
  for (const [x, y] of pts.slice(1)) ctx.lineTo(x, y);
  ctx.stroke();
}

/** The source's name as a file-name stem ("road", "scenes", "tusimple"). */
function stem(): string {
  const src = useApp.getState().source;
  const name = !src ? 'frames' : src.kind === 'video' ? src.name.replace(/\.[^.]+$/, '') : src.label;
  return name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'frames';
}

function frameTimes(): FrameTimes {
  const timing = usePlayback.getState().timing;
  return timing.kind === 'file' ? timing.timeline.times : null;
}

/** The frame on the stage: its lanes from each slot that has a result for it. */
export function exportLanesJson(frame: { index: number; key: string; w: number; h: number }): void {
  const st = useApp.getState();
  const gtFrame = gtFor(st.gt, st.source, frame.index);
  const slot = (s: Slot) => {
    const r = st.results[resultKey(s, frame.key)];
    return r ? slotJson(r, st.decoder, gtFrame) : undefined;
  };
  const body = {
    frame: {
      index: frame.index,
      key: frame.key,
      width: frame.w,
      height: frame.h,
      time_s: frameTimes()?.[frame.index],
      gt_raw_file: gtFrame?.raw_file,
    },
    preprocess: st.preprocess,
    a: slot('a'),
    b: st.abMode !== 'off' ? slot('b') : undefined,
  };
  download(new Blob([exportJson(body)], { type: 'application/json' }), `${stem()}-frame-${frame.index + 1}-lanes.json`);
}

/** Every cached result of the source as a CSV row (decoded with the current settings, GT as on screen). */
export function exportMetricsCsv(): void {
  const st = useApp.getState();
  const csv = toCsv(metricsRows(st.results, st.decoder, st.gt, st.source, frameTimes()));
  download(new Blob([csv], { type: 'text/csv' }), `${stem()}-metrics.csv`);
}

/** Every inferred frame of the source, both slots, as one JSON document. */
export function exportSequenceJson(): void {
  const st = useApp.getState();
  const body = sequenceJson(st.results, st.decoder, st.gt, st.source, st.preprocess, frameTimes());
  download(new Blob([exportJson(body)], { type: 'application/json' }), `${stem()}-sequence.json`);
}

/** One slot's predictions in TuSimple's JSON-lines format (for the official evaluator). */
export function exportTusimple(slot: Slot): void {
  const st = useApp.getState();
  const text = tusimplePredictions(st.results, slot, st.decoder, st.gt, st.source);
  const model = st.slots[slot].model ?? slot;
  download(
    new Blob([text], { type: 'application/json' }),
    `${stem()}-tusimple-${slot}-${model.replace(/[^\w.-]+/g, '_')}.json`,
  );
}

export function downloadText(text: string, name: string, type: string): void {
  download(new Blob([text], { type }), name);
}
