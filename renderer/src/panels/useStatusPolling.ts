/**
 * Keeps the UI's view of every connected server's status fresh. The services poll Triton themselves
 * (and push 'connectionStatus' events); this timer is the fallback when events are missed, and it
 * backs off exponentially (2 s -> 30 s) while the services cannot be reached.
 */
import { useEffect } from 'react';
import { useApp } from '../state/store';

const BASE_MS = 2000;
const MAX_MS = 30_000;

export function useStatusPolling(): void {
  useEffect(() => {
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const st = useApp.getState();
      const ids = Object.entries(st.statuses)
        .filter(([, s]) => s.state !== 'disconnected')
        .map(([id]) => id);
      let failed = false;
      for (const id of ids) {
        try {
          await st.refreshStatus(id);
        } catch {
          failed = true;
        }
      }
      failures = failed ? failures + 1 : 0;
      if (!stopped) timer = setTimeout(tick, Math.min(MAX_MS, BASE_MS * 2 ** failures));
    };
    timer = setTimeout(tick, BASE_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, []);
}
