/** Number formats of the metrics view. */
export const fmtRate = (v: number | null | undefined) => (v == null ? '–' : `${v.toFixed(1)}/s`);
export const fmtUs = (v: number | null | undefined) =>
  v == null ? '–' : v >= 10_000 ? `${+(v / 1000).toFixed(1)} ms` : `${Math.round(v)} µs`;
export const fmtPct = (v: number | null | undefined) => (v == null ? '–' : `${v.toFixed(1)} %`);
export const fmtGiB = (v: number | null | undefined) => (v == null ? '?' : `${v.toFixed(1)} GiB`);

/** The last value of a column. */
export const last = <T>(column: readonly T[]): T | undefined => column[column.length - 1];
