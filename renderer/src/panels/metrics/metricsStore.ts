/**
 * The metrics history in a store of its own (like the inspector's playback store): every scrape
 * (once a second unless the user picks another interval) changes it, and only the small parts that
 * select a model's series, the CPU or a GPU re-render, never the app store's subscribers or the whole
 * view.
 */
import { create } from 'zustand';
import type { MetricsSnapshot } from '../../../../shared/contract';
import { appendSnapshot, emptyHistory, type MetricsHistory } from './series';

/** The refresh intervals a user can pick (ms): Grafana's short ones. 1 s unless changed. */
export const METRICS_INTERVALS_MS = [500, 1000, 2000, 5000] as const;
export const DEFAULT_METRICS_INTERVAL_MS = 1000;
const INTERVAL_KEY = 'tritonscope.metricsIntervalMs';

const offered = (ms: number) => (METRICS_INTERVALS_MS as readonly number[]).includes(ms);

/** The interval picked last time (localStorage), else the default. */
export function storedMetricsInterval(): number {
  try {
    const ms = Number(localStorage.getItem(INTERVAL_KEY));
    if (offered(ms)) return ms;
  } catch {
    /* no storage (private mode, or not a browser): the default */
  }
  return DEFAULT_METRICS_INTERVAL_MS;
}

export interface MetricsState {
  history: MetricsHistory;
  /** The URL the last scrape read (or tried to). */
  url: string | null;
  /** The last scrape's failure; cleared by the next success. */
  error: string | null;
  /** Epoch ms of the last successful scrape. */
  lastAt: number | null;
  /** Connection the history belongs to; a new one starts an empty history. */
  connectionId: string | null;
  /** How often the endpoint is read while connected; one of METRICS_INTERVALS_MS, kept across starts. */
  intervalMs: number;

  setIntervalMs(ms: number): void;
  ingest(connectionId: string, snapshot: MetricsSnapshot): void;
  fail(connectionId: string, error: string): void;
  reset(connectionId: string | null): void;
}

export const useMetrics = create<MetricsState>()((set, get) => ({
  history: emptyHistory(),
  url: null,
  error: null,
  lastAt: null,
  connectionId: null,
  intervalMs: storedMetricsInterval(),
  setIntervalMs(ms) {
    if (!offered(ms)) return;
    set({ intervalMs: ms });
    try {
      localStorage.setItem(INTERVAL_KEY, String(ms));
    } catch {
      /* not kept for the next start; applies now */
    }
  },
  ingest(connectionId, snapshot) {
    if (connectionId !== get().connectionId) return; // a late answer for a connection left since
    set({
      history: appendSnapshot(get().history, snapshot),
      url: snapshot.url,
      error: null,
      lastAt: snapshot.takenAt,
    });
  },
  fail(connectionId, error) {
    if (connectionId !== get().connectionId) return;
    if (error !== get().error) set({ error });
  },
  reset(connectionId) {
    set({ history: emptyHistory(), url: null, error: null, lastAt: null, connectionId });
  },
}));
