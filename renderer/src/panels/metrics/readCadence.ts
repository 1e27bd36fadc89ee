/**
 * When the next metrics read is due. Reads keep a fixed cadence, as Prometheus scrapes do: they start
 * on the ticks startedAt + k x interval, so slow answers under load do not stretch the chart's
 * spacing to interval + read time. A read that outlasts the interval skips the ticks it missed (the
 * next read starts on the first tick after it ended), so a slow server is not asked back to back.
 * After a failure the back-off counts from the moment the failure was known.
 */
export function delayUntilNextRead(read: {
  startedAt: number;
  endedAt: number;
  delayMs: number;
  failed: boolean;
}): number {
  if (read.failed) return read.delayMs;
  const took = Math.max(0, read.endedAt - read.startedAt);
  return read.delayMs - (took % read.delayMs);
}
