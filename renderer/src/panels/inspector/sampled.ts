/**
 * Readouts of per-result state while a video plays. Results arrive 30-60 times a second; the
 * stage must draw each one, but the side panel (lane list, latency, sequence scores, export
 * counts) only needs a few updates a second, and every update there is a layout and paint of
 * the panel on the page's main thread. While paused every change shows at once.
 */
import { useEffect, useRef, useState } from 'react';
import { useApp, type AppState } from '../../state/store';

/** How often the side panel follows results during playback. */
export const PANEL_INTERVAL_MS = 250;

function schedule(last: number, intervalMs: number): number {
  return Math.max(0, last + intervalMs - performance.now());
}

/** `value` as it was at most `intervalMs` ago while a video plays (the latest once it stops). */
export function useSampledWhilePlaying<T>(value: T, intervalMs = PANEL_INTERVAL_MS): T {
  const playing = useApp((s) => s.playing);
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const show = () => {
      last.current = performance.now();
      setShown(value);
    };
    if (!playing) return show();
    const timer = setTimeout(show, schedule(last.current, intervalMs));
    return () => clearTimeout(timer);
  }, [value, playing, intervalMs]);
  return playing ? shown : value;
}

/**
 * A slice of the app store (`select` must return a stable reference, e.g. `s.results`) followed
 * at most every `intervalMs` while a video plays: the component does not even render in between.
 */
export function useAppSampledWhilePlaying<T>(select: (s: AppState) => T, intervalMs = PANEL_INTERVAL_MS): T {
  const selectRef = useRef(select);
  selectRef.current = select;
  const [value, setValue] = useState(() => select(useApp.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const apply = () => {
      timer = null;
      last = performance.now();
      setValue(() => selectRef.current(useApp.getState()));
    };
    apply();
    const unsubscribe = useApp.subscribe((s, prev) => {
      if (selectRef.current(s) === selectRef.current(prev) && s.playing === prev.playing) return;
      if (!s.playing) {
        if (timer) clearTimeout(timer);
        return apply();
      }
      timer ??= setTimeout(apply, schedule(last, intervalMs));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [intervalMs]);
  return value;
}
