/**
 * Rates and mean latencies from two scrapes of Triton's cumulative counters, the way Prometheus'
 * rate() reads them: per second over the interval, and a counter that went down was reset (the
 * model was reloaded), so its whole new value is the increase. Used by the CLI's `metrics` command
 * and by the app's metrics view, so both print the same numbers for the same scrapes.
 */
import type { MetricsSnapshot, ModelMetrics } from '../contract/schemas';

export interface ModelRates {
  model: string;
  /** The version label, or the versions summed (comma-separated) when rates are per model. */
  version: string;
  /** Seconds between the two scrapes. */
  seconds: number;
  requestsPerSec: number | null;
  inferencesPerSec: number | null;
  executionsPerSec: number | null;
  failuresPerSec: number | null;
  /** Mean µs per successful request over the interval; null when none succeeded in it. */
  avgRequestUs: number | null;
  avgQueueUs: number | null;
  avgComputeInputUs: number | null;
  avgComputeInferUs: number | null;
  avgComputeOutputUs: number | null;
  /** input + infer + output. */
  avgComputeUs: number | null;
  /** The pending-request gauge at the second scrape. */
  pending: number | null;
}

/** The increase of a counter between two reads, Prometheus-style (a decrease means a reset). */
export function counterIncrease(before: number | null | undefined, after: number | null | undefined): number | null {
  if (after == null) return null;
  if (before == null) return after;
  return after >= before ? after - before : after;
}

type Summable = Exclude<keyof ModelMetrics, 'model' | 'version' | 'failureReasons'>;
const SUMMED: Summable[] = [
  'requestSuccess',
  'requestFailure',
  'inferenceCount',
  'execCount',
  'requestDurationUs',
  'queueDurationUs',
  'computeInputDurationUs',
  'computeInferDurationUs',
  'computeOutputDurationUs',
  'pendingRequests',
];

/** One entry per model name, its versions' series added up (a value missing in every version stays null). */
export function sumVersions(models: readonly ModelMetrics[]): ModelMetrics[] {
  const byName = new Map<string, ModelMetrics>();
  for (const m of models) {
    const acc = byName.get(m.model);
    if (!acc) {
      byName.set(m.model, { ...m, failureReasons: { ...m.failureReasons } });
      continue;
    }
    acc.version = `${acc.version},${m.version}`;
    for (const k of SUMMED) acc[k] = m[k] == null ? acc[k] : (acc[k] ?? 0) + m[k];
    for (const [reason, n] of Object.entries(m.failureReasons))
      acc.failureReasons[reason] = (acc.failureReasons[reason] ?? 0) + n;
  }
  return [...byName.values()];
}

const key = (m: ModelMetrics) => `${m.model}\u0000${m.version}`;

/**
 * Rates of every series in `after` relative to `before` (a series new in `after` counts from 0).
 * `perModel` sums the versions of a model first (the app's charts); otherwise one row per version.
 */
export function intervalRates(before: MetricsSnapshot, after: MetricsSnapshot, perModel = false): ModelRates[] {
  const seconds = (after.takenAt - before.takenAt) / 1000;
  const a = perModel ? sumVersions(before.models) : before.models;
  const b = perModel ? sumVersions(after.models) : after.models;
  const prev = new Map(a.map((m) => [perModel ? m.model : key(m), m]));
  return b.map((m) => {
    const p = prev.get(perModel ? m.model : key(m));
    const inc = (k: Summable) => counterIncrease(p?.[k], m[k]);
    const perSec = (k: Summable) => {
      const d = inc(k);
      return d == null || seconds <= 0 ? null : d / seconds;
    };
    const successes = inc('requestSuccess');
    const mean = (k: Summable) => {
      const d = inc(k);
      return d == null || !successes ? null : d / successes;
    };
    const parts = [mean('computeInputDurationUs'), mean('computeInferDurationUs'), mean('computeOutputDurationUs')];
    return {
      model: m.model,
      version: m.version,
      seconds,
      requestsPerSec: perSec('requestSuccess'),
      inferencesPerSec: perSec('inferenceCount'),
      executionsPerSec: perSec('execCount'),
      failuresPerSec: perSec('requestFailure'),
      avgRequestUs: mean('requestDurationUs'),
      avgQueueUs: mean('queueDurationUs'),
      avgComputeInputUs: parts[0],
      avgComputeInferUs: parts[1],
      avgComputeOutputUs: parts[2],
      avgComputeUs: parts.every((x) => x == null) ? null : parts.reduce<number>((s, x) => s + (x ?? 0), 0),
      pending: m.pendingRequests,
    };
  });
}

/** Means since the counters started (one scrape): what `intervalRates` gives against an all-zero scrape. */
export function lifetimeAverages(snapshot: MetricsSnapshot, perModel = false): ModelRates[] {
  return intervalRates({ ...snapshot, models: [] }, snapshot, perModel).map((r) => ({
    ...r,
    requestsPerSec: null,
    inferencesPerSec: null,
    executionsPerSec: null,
    failuresPerSec: null,
  }));
}
