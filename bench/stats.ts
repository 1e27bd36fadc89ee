/**
 * Sample statistics the benchmarks report and judge their goals by (not a benchmark itself:
 * bench/run.ts runs only *.bench.ts). Two medians on purpose: the decode and pbtxt goals were set
 * with the nearest-rank one of `summarize`, the infer goal with the averaged one of `median`.
 */

/** Nearest-rank quantile of ascending `sorted` samples: `sorted[floor(f * n)]`, clamped to the last. */
export function quantile(sorted: readonly number[], f: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
}

/** Nearest-rank median (the upper middle value for even counts), p95, min and max. */
export function summarize(samples: readonly number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1] };
}

/** Median with the two middle values averaged for even counts. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
