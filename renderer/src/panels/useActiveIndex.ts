/**
 * Reads the active server's repository index whenever that server becomes connected or its
 * readiness changes, whichever view is open: the Servers view's "not ready" hint names the model
 * that failed without a visit to Models first.
 */
import { useEffect } from 'react';
import { useApp } from '../state/store';

export function useActiveIndex(): void {
  // A string key (zustand compares by identity): the connection and its readiness.
  const key = useApp((s) => {
    const st = s.activeId ? s.statuses[s.activeId] : undefined;
    return s.activeId && st?.state === 'connected' ? `${s.activeId}|${String(st.ready)}` : '';
  });
  useEffect(() => {
    if (key) void useApp.getState().refreshIndex();
  }, [key]);
}
