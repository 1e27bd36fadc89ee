/**
 * Reads the active server's metrics once a second while connected, app-wide, so the history is
 * there when the view opens (e.g. after playing a video in the inspector). A failing endpoint is
 * asked less often (doubling up to 30 s), never more than one request at a time.
 */
import { useEffect } from 'react';
import { getApi } from '../../../api';
import { errorText } from '../../lib/errors';
import { useApp } from '../../state/store';
import { useMetrics } from './metricsStore';

export const METRICS_POLL_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export function useMetricsSampling(): void {
  const conn = useApp((s) => s.activeConnection());
  useEffect(() => {
    useMetrics.getState().reset(conn);
    if (!conn) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = METRICS_POLL_MS;
    const tick = async () => {
      try {
        const snapshot = await getApi().serverMetrics({ connectionId: conn });
        useMetrics.getState().ingest(conn, snapshot);
        delay = METRICS_POLL_MS;
      } catch (e) {
        useMetrics.getState().fail(conn, errorText(e));
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
      if (!stopped) timer = setTimeout(() => void tick(), delay);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [conn]);
}
