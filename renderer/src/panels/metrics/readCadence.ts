/**
 * When the next metrics read is due. Reads keep a fixed cadence: the next starts one interval after
 * the last one started (at once if that read took longer than the interval), so slow answers under
 * load do not stretch the chart's spacing to interval + read time. After a failure the back-off
 * counts from the moment the failure was known.
 */
export function delayUntilNextRead(read: {
  startedAt: number;
  endedAt: number;
  delayMs: number;
  failed: boolean;
}): number {
  if (read.failed) return read.delayMs;
  return Math.max(0, read.startedAt + read.delayMs - read.endedAt);
}
