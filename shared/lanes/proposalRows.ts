/**
 * Which of a proposal's 72 rows become points — LaneATT `proposals_to_pred` (laneatt.py:309-340),
 * reused verbatim by CLRNet `predictions_to_pred`. Allocation-free: the caller owns `out`.
 */

export const N_OFFSETS = 72;

/**
 * `xs[xsOffset + i] / xDivisor` (float32) is the normalised x of row i (row 0 = bottom).
 * Writes the surviving row indices into `out` top -> bottom (descending i) and returns their count.
 *
 * Rules (LANEATT.md section 5): rows in [start, end] survive iff x >= 0; rows below start survive
 * only as the unbroken in-image run ([0, 1]) directly below start; rows selected by the Python
 * slice `xs[end+1:]` are removed — for end + 1 < 0 that slice counts from the top.
 */
export function selectProposalRows(
  xs: Float32Array,
  xsOffset: number,
  xDivisor: number,
  start: number,
  end: number,
  out: Int32Array,
): number {
  let cut = end + 1;
  if (cut < 0) cut = Math.max(0, N_OFFSETS + cut);
  let extendFrom = Math.min(start, N_OFFSETS);
  for (let i = extendFrom - 1; i >= 0; i--) {
    const x = Math.fround(xs[xsOffset + i] / xDivisor);
    if (x >= 0 && x <= 1) extendFrom = i;
    else break;
  }
  let count = 0;
  const top = Math.min(cut, N_OFFSETS) - 1;
  for (let i = top; i >= extendFrom; i--) {
    if (Math.fround(xs[xsOffset + i] / xDivisor) >= 0) out[count++] = i;
  }
  return count;
}

/**
 * `torch.linspace(1, 0, 72)` in float32 (anchor_ys / prior_ys): normalised y of row i, row 0 at
 * the bottom (1.0) and row 71 at the top (0.0). Mirrors ATen's two-sided evaluation.
 */
export const ROW_YS: Float64Array = (() => {
  const ys = new Float64Array(N_OFFSETS);
  const step = Math.fround(-1 / (N_OFFSETS - 1));
  const halfway = N_OFFSETS >> 1;
  for (let i = 0; i < N_OFFSETS; i++) {
    ys[i] =
      i < halfway ? Math.fround(1 + Math.fround(step * i)) : Math.fround(0 - Math.fround(step * (N_OFFSETS - i - 1)));
  }
  return ys;
})();
