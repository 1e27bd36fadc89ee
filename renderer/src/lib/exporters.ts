/**
 * Exports: the frame with its lanes drawn (PNG, at the frame's own resolution), the decoded lanes
 * (JSON), and per-frame metrics of every cached result (CSV, decoded with the current settings).
 */
import { useApp } from '../state/store';
import { LANE_COLORS } from '../components/FrameStage';
import { decoderById, suggestDecoder } from './decoders';
import {
  lanesToTusimpleFrame,
  tusimpleFrameScore,
  type Lane,
  type Point,
  type TusimpleFrameScore,
} from '../../../shared/lanes';
import type { RawResult } from '../state/inference';

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
  a: { result: RawResult | null; decoderId: string | null; decoded: { lanes: Lane[] } | null },
  score: TusimpleFrameScore | null,
): void {
  const st = useApp.getState();
  const dec = a.decoderId ? decoderById(a.decoderId) : undefined;
  const body = {
    frame: { index: frame.index, key: frame.key, width: frame.w, height: frame.h },
    model: a.result?.model,
    output: a.result ? { name: a.result.output.name, shape: a.result.output.shape } : undefined,
    decoder: a.decoderId,
    options: dec ? { ...dec.defaults, ...(st.decoder.options[dec.id] ?? {}) } : undefined,
    preprocess: st.preprocess,
    lanes: a.decoded?.lanes.map((l) => ({ score: l.score, points: l.points })) ?? [],
    tusimple: score ? { accuracy: score.accuracy, fp: score.fp, fn: score.fn } : undefined,
  };
  download(
    new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
    `lanes-frame-${frame.index + 1}.json`,
  );
}

export function metricsRows(): string[][] {
  const st = useApp.getState();
  const rows: string[][] = [
    [
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
    ],
  ];
  const entries = Object.entries(st.results).sort(([, x], [, y]) => x.frameIndex - y.frameIndex);
  for (const [key, r] of entries) {
    const slot = key.split('|')[0];
    const dec = st.decoder.id === 'auto' ? suggestDecoder(r.output.shape) : decoderById(st.decoder.id);
    let lanes: Lane[] = [];
    let decodeMs = NaN;
    if (dec) {
      const t0 = performance.now();
      try {
        lanes = dec.decode(
          r.output.values,
          r.output.shape,
          { w: r.frameW, h: r.frameH },
          { ...dec.defaults, ...(st.decoder.options[dec.id] ?? {}) },
          false,
        ).lanes;
      } catch {
        lanes = [];
      }
      decodeMs = performance.now() - t0;
    }
    let acc = '',
      fp = '',
      fn = '';
    const gt = st.gt?.frames;
    if (gt && st.source?.kind === 'images') {
      const name = r.frameKey.split(':').slice(2).join(':').toLowerCase();
      const g = gt.find((f) => f.raw_file.toLowerCase().split(/[\\/]/).pop() === name);
      if (g) {
        try {
          const s = tusimpleFrameScore(
            lanesToTusimpleFrame(lanes, g.raw_file, g.h_samples, r.frameW, r.frameH).lanes,
            g.lanes,
            g.h_samples,
            0,
          );
          acc = s.accuracy.toFixed(4);
          fp = s.fp.toFixed(4);
          fn = s.fn.toFixed(4);
        } catch {
          /* leave empty */
        }
      }
    }
    const mean = lanes.length ? lanes.reduce((a, l) => a + l.score, 0) / lanes.length : NaN;
    rows.push([
      slot,
      String(r.frameIndex + 1),
      r.model,
      String(lanes.length),
      Number.isFinite(mean) ? mean.toFixed(4) : '',
      r.timing.preprocessMs.toFixed(2),
      r.timing.requestMs.toFixed(2),
      r.timing.rpcMs !== undefined ? r.timing.rpcMs.toFixed(2) : '',
      Number.isFinite(decodeMs) ? decodeMs.toFixed(3) : '',
      acc,
      fp,
      fn,
    ]);
  }
  return rows;
}

export function exportMetricsCsv(): void {
  const csv = metricsRows()
    .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\n');
  download(new Blob([csv + '\n'], { type: 'text/csv' }), 'tritonscope-metrics.csv');
}
