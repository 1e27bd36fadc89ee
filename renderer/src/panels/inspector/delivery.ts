/**
 * Results into the app store. While a video plays, results are delivered once per animation frame,
 * all that arrived since the last one in one store update: the inspector renders once per displayed
 * frame, not once per result (with 2+ requests in flight several land between two frames). Paused, a
 * result is delivered at once.
 */
import { useApp, type AppState } from '../../state/store';
import type { RawResult } from '../../state/inference';
import type { Slot } from './model';
import { recordStage } from './pipelineStats';

interface Queued {
  slot: Slot;
  result: RawResult;
  /** Asked again at delivery: what changed while the result waited (model, source, cleared results) drops it. */
  wanted: (st: AppState) => boolean;
  arrived: number;
}

const queued: Queued[] = [];
let flushing: Promise<void> | null = null;

/** Queues a result for the store; resolves once it is there (or was dropped as no longer wanted). */
export function deliver(slot: Slot, result: RawResult, wanted: (st: AppState) => boolean): Promise<void> {
  queued.push({ slot, result, wanted, arrived: performance.now() });
  if (!useApp.getState().playing) return flush();
  return (flushing ??= new Promise<void>((resolve) => {
    // rAF does not run in a hidden page: the timer delivers there.
    const timer = setTimeout(() => resolve(flush()), 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve(flush());
    });
  }));
}

function flush(): Promise<void> {
  flushing = null;
  const batch = queued.splice(0);
  const st = useApp.getState();
  const current = batch.filter((q) => q.wanted(st));
  st.putResults(current.map(({ slot, result }) => [slot, result] as const));
  // Result to the next paint: React's render of the new lanes and the Konva draw.
  requestAnimationFrame(() => {
    const now = performance.now();
    for (const { arrived } of current) recordStage('paint', now - arrived);
  });
  return Promise.resolve();
}
