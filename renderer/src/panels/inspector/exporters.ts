/**
 * Exports: the frame with its lanes drawn (PNG, at the frame's own resolution), the decoded lanes
 * (JSON), and per-frame metrics of every cached result (CSV, decoded with the current settings).
 */
import { useApp } from '../../state/store';
import { LANE_COLORS } from '../../components/FrameStage';
import type { Lane, Point, TusimpleFrameScore } from '../../../../shared/lanes';
import { metricsRows, toCsv, type Decoded } from './model';

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

export function exportLanesJson(
  frame: { index: number; key: string; w: number; h: number },
  a: Decoded,
  score: TusimpleFrameScore | null,
): void {
  const st = useApp.getState();
  const body = {
    frame: { index: frame.index, key: frame.key, width: frame.w, height: frame.h },
    model: a.result?.model,
    output: a.result ? { name: a.result.output.name, shape: a.result.output.shape } : undefined,
    decoder: a.decoded?.decoder ?? null,
    options: a.decoded?.options,
    preprocess: st.preprocess,
    lanes: a.decoded?.lanes.map((l) => ({ score: l.score, points: l.points })) ?? [],
    tusimple: score ? { accuracy: score.accuracy, fp: score.fp, fn: score.fn } : undefined,
  };
  download(
    new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
    `lanes-frame-${frame.index + 1}.json`,
  );
}

/** Every cached result as a CSV row (decoded with the current settings, GT as on screen). */
export function exportMetricsCsv(): void {
  const st = useApp.getState();
  const csv = toCsv(metricsRows(st.results, st.decoder, st.gt, st.source));
  download(new Blob([csv], { type: 'text/csv' }), 'tritonscope-metrics.csv');
}

export function downloadText(text: string, name: string, type: string): void {
  download(new Blob([text], { type }), name);
}
