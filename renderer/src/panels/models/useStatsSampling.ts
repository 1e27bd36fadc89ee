import { useEffect } from 'react';
import { useApp } from '../../state/store';

/** Samples the active server's statistics every 2 s while connected (cumulative counters -> rates). */
export function useStatsSampling(): void {
  const conn = useApp((s) => s.activeConnection());
  useEffect(() => {
    if (!conn) return;
    let busy = false;
    const t = setInterval(() => {
      if (busy) return; // never stack requests when the server is slow
      busy = true;
      void useApp
        .getState()
        .sampleStatistics()
        .finally(() => (busy = false));
    }, 2000);
    return () => clearInterval(t);
  }, [conn]);
}
