/**
 * The lane NMS of LaneATT (lib/nms/src/nms_kernel.cu) — CLRNet ships a byte-identical kernel.
 * Rows use LaneATT's 77-column layout: [logit0, logit1, start_y, start_x, length, x0..x71].
 * Every step mirrors the kernel's float32/double mix (see LANEATT.md section 4), because vector 06
 * sits exactly on the threshold.
 */
import { CandidateHeap } from './candidateHeap';

export const ROW_STRIDE = 77;
const N_STRIPS = 71;
const LAST_ROW = 71;
const f32 = Math.fround;

/** First row of a proposal in the kernel: `(int)(start_y * 71 + 0.5)` (float32 product, double add). */
function kernelStart(startY: number): number {
  return Math.trunc(f32(startY * N_STRIPS) + 0.5);
}

/** Last row in the kernel: `(int)(start + length - 1 + 0.5 - ((length - 1) < 0))`, raw length. */
function kernelEnd(start: number, length: number): number {
  const lenMinus1 = f32(f32(start + length) - 1);
  return Math.trunc(lenMinus1 + 0.5 - (f32(length - 1) < 0 ? 1 : 0));
}

/**
 * Kernel `devIoU(a, b, thr)`: true when the already-kept row at offset `a` suppresses the
 * candidate at offset `b` — their mean |dx| over the rows both cover is below `thr32` px.
 */
export function suppresses(rows: Float32Array, a: number, b: number, thr32: number): boolean {
  const startA = kernelStart(rows[a + 2]);
  const startB = kernelStart(rows[b + 2]);
  const start = startA > startB ? startA : startB;
  const endA = kernelEnd(startA, rows[a + 4]);
  const endB = kernelEnd(startB, rows[b + 4]);
  let end = endA < endB ? endA : endB;
  if (end > LAST_ROW) end = LAST_ROW;
  if (end < start) return false;
  let dist = 0;
  // Column 5 + row; a negative start (CLRNet's malformed start_y) reads earlier columns, as the kernel does.
  for (let i = 5 + start; i <= 5 + end; i++) {
    const d = rows[a + i] - rows[b + i];
    dist = f32(dist + (d < 0 ? f32(-d) : f32(d)));
  }
  return dist < f32(thr32 * (end - start + 1));
}

/**
 * Greedy NMS: pops candidates best first, keeps one unless a kept row suppresses it, stops at
 * `topk` kept. Writes kept row indices into `keepOut` and returns their count.
 */
export function laneNms(
  rows: Float32Array,
  heap: CandidateHeap,
  threshold: number,
  topk: number,
  keepOut: Int32Array,
): number {
  const thr32 = f32(threshold);
  let kept = 0;
  while (kept < topk) {
    const b = heap.pop();
    if (b < 0) break;
    const bOff = b * ROW_STRIDE;
    let suppressed = false;
    for (let k = 0; k < kept; k++) {
      if (suppresses(rows, keepOut[k] * ROW_STRIDE, bOff, thr32)) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) keepOut[kept++] = b;
  }
  return kept;
}
