/**
 * The models table's rows, as pure functions of the repository index, the statistics samples and
 * what this user did: what each row's state means (a failed load vs a model the user unloaded),
 * per-row traffic, and the search / state filter / sort the toolbar applies.
 */
import type { ModelIndexEntry } from '../../../shared/contract';
import type { StatSample } from '../state/models';
import { meanMs, u64Delta } from './stats';

/** Triton's reason for a version that was unloaded on request (not a failure). */
export const UNLOADED_REASON = 'unloaded';

export type RowStatus = 'failed' | 'busy' | 'ready' | 'unloaded' | 'not-loaded';

export interface ModelRow {
  key: string;
  name: string;
  version: string;
  /** The server's state, as it said it (LOADING/UNLOADING while this app waits on a load/unload). */
  state: string;
  reason: string;
  status: RowStatus;
  /** Unloaded by this user in this app (else by someone else, or before this session). */
  unloadedByYou: boolean;
  /** Requests/s over the last sampling interval; null before two samples (or not loaded). */
  rps: number | null;
  /** Mean request time (ms): over the last interval when it had requests, else since load. */
  avgMs: number | null;
  avgSinceLoad: boolean;
}

export type StateFilter = 'all' | RowStatus;
export type SortKey = 'failures' | 'name' | 'state' | 'rps' | 'latency';

export const STATE_FILTERS: { id: StateFilter; label: string }[] = [
  { id: 'all', label: 'All states' },
  { id: 'failed', label: 'Failed' },
  { id: 'ready', label: 'Ready' },
  { id: 'unloaded', label: 'Unloaded' },
  { id: 'not-loaded', label: 'Not loaded' },
  { id: 'busy', label: 'Busy' },
];

export const SORT_KEYS: { id: SortKey; label: string }[] = [
  { id: 'failures', label: 'Failures first' },
  { id: 'name', label: 'By name' },
  { id: 'state', label: 'By state' },
  { id: 'rps', label: 'By req/s' },
  { id: 'latency', label: 'By avg time' },
];

export function classify(state: string, reason: string): RowStatus {
  const s = state.toUpperCase();
  if (s === 'READY') return 'ready';
  if (s === 'LOADING' || s === 'UNLOADING') return 'busy';
  if (s === 'UNAVAILABLE') return reason === UNLOADED_REASON ? 'unloaded' : 'failed';
  return 'not-loaded';
}

/** Traffic of one model from its statistics samples (cumulative counters -> last interval). */
export function rowTraffic(samples: readonly StatSample[] | undefined): {
  rps: number | null;
  avgMs: number | null;
  avgSinceLoad: boolean;
} {
  const last = samples?.[samples.length - 1];
  if (!samples || !last) return { rps: null, avgMs: null, avgSinceLoad: false };
  const total = meanMs(last.entry.inferenceStats.success);
  const prev = samples[samples.length - 2];
  if (!prev || last.t <= prev.t) return { rps: null, avgMs: total, avgSinceLoad: true };
  const a = prev.entry.inferenceStats.success;
  const b = last.entry.inferenceStats.success;
  const dn = u64Delta(a.count, b.count);
  // A reload restarts the counters: a negative difference is not traffic.
  if (dn < 0) return { rps: null, avgMs: total, avgSinceLoad: true };
  const rps = dn / ((last.t - prev.t) / 1000);
  if (dn === 0) return { rps, avgMs: total, avgSinceLoad: true };
  return { rps, avgMs: u64Delta(a.ns, b.ns) / dn / 1e6, avgSinceLoad: false };
}

export interface RowContext {
  busy: Record<string, 'loading' | 'unloading' | undefined>;
  /** `connectionId|model` keys (state/models unloadKey). */
  unloadedByUser: Record<string, true>;
  connectionId: string;
  statsHistory: Record<string, StatSample[]>;
}

export function buildRows(index: readonly ModelIndexEntry[], ctx: RowContext): ModelRow[] {
  return index.map((m) => {
    const busy = ctx.busy[m.name];
    const state = busy === 'loading' ? 'LOADING' : busy === 'unloading' ? 'UNLOADING' : (m.state ?? '');
    const reason = m.reason ?? '';
    const status = classify(state, reason);
    return {
      key: `${m.name}/${m.version ?? ''}`,
      name: m.name,
      version: m.version ?? '',
      state,
      reason,
      status,
      unloadedByYou: status === 'unloaded' && !!ctx.unloadedByUser[`${ctx.connectionId}|${m.name}`],
      ...(status === 'ready' ? rowTraffic(ctx.statsHistory[m.name]) : { rps: null, avgMs: null, avgSinceLoad: false }),
    };
  });
}

export function filterRows(rows: readonly ModelRow[], query: string, filter: StateFilter): ModelRow[] {
  const q = query.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (filter === 'all' || r.status === filter) &&
      (!q || r.name.toLowerCase().includes(q) || r.reason.toLowerCase().includes(q)),
  );
}

const STATUS_RANK: Record<RowStatus, number> = { failed: 0, busy: 1, ready: 2, unloaded: 3, 'not-loaded': 4 };

const byName = (a: ModelRow, b: ModelRow) =>
  a.name.localeCompare(b.name) || Number(a.version || 0) - Number(b.version || 0);

/** Nulls (no traffic measured) sort last whatever the key. */
const desc = (a: number | null, b: number | null) => (b ?? -Infinity) - (a ?? -Infinity);

export function sortRows(rows: readonly ModelRow[], key: SortKey): ModelRow[] {
  const cmp: Record<SortKey, (a: ModelRow, b: ModelRow) => number> = {
    failures: (a, b) => Number(b.status === 'failed') - Number(a.status === 'failed') || byName(a, b),
    name: byName,
    state: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || byName(a, b),
    rps: (a, b) => desc(a.rps, b.rps) || byName(a, b),
    latency: (a, b) => desc(a.avgMs, b.avgMs) || byName(a, b),
  };
  return [...rows].sort(cmp[key]);
}

/** Names of the models whose load failed (one per name, whatever the versions), in name order. */
export function failedNames(rows: readonly ModelRow[]): string[] {
  return [...new Set(rows.filter((r) => r.status === 'failed').map((r) => r.name))].sort((a, b) => a.localeCompare(b));
}

/** "a, b, c and 7 more": names for a banner that must stay one or two lines. */
export function nameList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
