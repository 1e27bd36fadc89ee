/**
 * Reads the active server's metrics at the chosen interval (1 s unless the user picks another)
 * while connected, app-wide, so the history is there when the view opens (e.g. after playing a
 * video in the inspector), on a fixed cadence (readCadence.ts). A failing endpoint is asked less often
 * (doubling up to 30 s), never more than one request at a time.
 */
import { useEffect } from 'react';
import { getApi } from '../../../api';
import { errorText } from '../../lib/errors';
import { useApp } from '../../state/store';
import { useMetrics } from './metricsStore';
import { delayUntilNextRead } from './readCadence';

const MAX_BACKOFF_MS = 30_000;

export function useMetricsSampling(): void {
  const conn = useApp((s) => s.activeConnection());
  useEffect(() => {
    useMetrics.getState().reset(conn);
    if (!conn) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reading = false;
    let failing = false;
    let delay = useMetrics.getState().intervalMs;
    const tick = async () => {
      reading = true;
      const startedAt = performance.now();
      try {
        const snapshot = await getApi().serverMetrics({ connectionId: conn });
        useMetrics.getState().ingest(conn, snapshot);
        failing = false;
        delay = useMetrics.getState().intervalMs;
      } catch (e) {
        useMetrics.getState().fail(conn, errorText(e));
        failing = true;
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
      reading = false;
      const wait = delayUntilNextRead({ startedAt, endedAt: performance.now(), delayMs: delay, failed: failing });
      if (!stopped) timer = setTimeout(() => void tick(), wait);
    };
    void tick();
    // A new interval applies at once while waiting (a read under way schedules with it when it
    // ends); a failing endpoint keeps its back-off.
    const unsubscribe = useMetrics.subscribe((s, prev) => {
      if (s.intervalMs === prev.intervalMs || stopped || reading || failing) return;
      clearTimeout(timer);
      delay = s.intervalMs;
      timer = setTimeout(() => void tick(), delay);
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [conn]);
}
