/**
 * The metrics view's history: each scrape of the server's Prometheus endpoint becomes one point
 * per chart (rates and mean latencies between this scrape and the previous one, from
 * shared/metrics/rates, the CLI's arithmetic). Pure: a new history from the old one and a scrape.
 * The model and GPU lists keep their identity while their members do not change, so the view
 * that lays out one card per model re-renders only when a model comes or goes; each card's
 * series is new every scrape (it has a new point).
 */
import type { MetricsSnapshot } from '../../../../shared/contract';
import { intervalRates, type ModelRates } from '../../../../shared/metrics/rates';

/** uPlot columns: x in seconds since the epoch, then one array per line. */
export interface ModelSeries {
  t: number[];
  requestsPerSec: (number | null)[];
  inferencesPerSec: (number | null)[];
  failuresPerSec: (number | null)[];
  requestUs: (number | null)[];
  queueUs: (number | null)[];
  computeUs: (number | null)[];
  /** The latest interval, for the numbers above the charts. */
  latest: ModelRates;
}

export interface CpuSeries {
  t: number[];
  utilizationPct: (number | null)[];
  memoryUsedGiB: (number | null)[];
  memoryTotalGiB: number | null;
}

export interface GpuSeries {
  t: number[];
  utilizationPct: (number | null)[];
  memoryUsedGiB: (number | null)[];
  powerWatts: (number | null)[];
  memoryTotalGiB: number | null;
}

export interface MetricsHistory {
  previous: MetricsSnapshot | null;
  /** Model names in the last scrape, sorted; the same array while the set does not change. */
  modelNames: string[];
  models: Record<string, ModelSeries>;
  cpu: CpuSeries | null;
  gpuIds: string[];
  gpus: Record<string, GpuSeries>;
  /** Points kept: scrapes within this many ms of the newest. */
  windowMs: number;
}

export const HISTORY_MS = 10 * 60_000;

export function emptyHistory(windowMs = HISTORY_MS): MetricsHistory {
  return { previous: null, modelNames: [], models: {}, cpu: null, gpuIds: [], gpus: {}, windowMs };
}

const GiB = 2 ** 30;
const pct = (ratio: number | null) => (ratio == null ? null : ratio * 100);
const gib = (bytes: number | null) => (bytes == null ? null : bytes / GiB);

/** Index of the first point to keep: the ones older than `cutoff` (seconds) leave the window. */
function keepFrom(t: number[] | undefined, cutoff: number): number {
  if (!t) return 0;
  const i = t.findIndex((x) => x >= cutoff);
  return i < 0 ? t.length : i;
}

/** The column without its first `from` points, plus `value`. */
function push<T>(column: T[] | undefined, from: number, value: T): T[] {
  return [...(column ?? []).slice(from), value];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function appendSnapshot(history: MetricsHistory, snapshot: MetricsSnapshot): MetricsHistory {
  const t = snapshot.takenAt / 1000;
  const cutoff = t - history.windowMs / 1000;
  const next: MetricsHistory = { ...history, previous: snapshot };

  // Rates need two scrapes: the first one only sets the baseline.
  if (history.previous && snapshot.takenAt > history.previous.takenAt) {
    const models: Record<string, ModelSeries> = {};
    for (const r of intervalRates(history.previous, snapshot, true)) {
      const old = history.models[r.model];
      const from = keepFrom(old?.t, cutoff);
      models[r.model] = {
        t: push(old?.t, from, t),
        requestsPerSec: push(old?.requestsPerSec, from, r.requestsPerSec),
        inferencesPerSec: push(old?.inferencesPerSec, from, r.inferencesPerSec),
        failuresPerSec: push(old?.failuresPerSec, from, r.failuresPerSec),
        requestUs: push(old?.requestUs, from, r.avgRequestUs),
        queueUs: push(old?.queueUs, from, r.avgQueueUs),
        computeUs: push(old?.computeUs, from, r.avgComputeUs),
        latest: r,
      };
    }
    next.models = models;
  }
  const names = [...new Set(snapshot.models.map((m) => m.model))].sort();
  if (!sameList(names, history.modelNames)) next.modelNames = names;

  const cpu = snapshot.cpu;
  if (cpu) {
    const old = history.cpu ?? undefined;
    const from = keepFrom(old?.t, cutoff);
    next.cpu = {
      t: push(old?.t, from, t),
      utilizationPct: push(old?.utilizationPct, from, pct(cpu.utilization)),
      memoryUsedGiB: push(old?.memoryUsedGiB, from, gib(cpu.memoryUsedBytes)),
      memoryTotalGiB: gib(cpu.memoryTotalBytes),
    };
  } else next.cpu = null;

  const gpus: Record<string, GpuSeries> = {};
  for (const g of snapshot.gpus) {
    const old = history.gpus[g.uuid];
    const from = keepFrom(old?.t, cutoff);
    gpus[g.uuid] = {
      t: push(old?.t, from, t),
      utilizationPct: push(old?.utilizationPct, from, pct(g.utilization)),
      memoryUsedGiB: push(old?.memoryUsedGiB, from, gib(g.memoryUsedBytes)),
      powerWatts: push(old?.powerWatts, from, g.powerUsageWatts),
      memoryTotalGiB: gib(g.memoryTotalBytes),
    };
  }
  next.gpus = gpus;
  const ids = snapshot.gpus.map((g) => g.uuid);
  if (!sameList(ids, history.gpuIds)) next.gpuIds = ids;
  return next;
}
