/**
 * The embedded server's Prometheus metrics, with Triton's family names, HELP texts, types and
 * labels (shared/metrics/families), in a private prom-client Registry (never the global one: two
 * servers in one process must not share counters).
 *
 * The values are not counted twice: every scrape reads the same per-version statistics that
 * ModelStatistics serves (../statistics), so the two always agree — request counts equal, and each
 * nv_*_duration_us is floor(ns / 1000) of the matching cumulative statistics duration. As in
 * Triton, only loaded versions are listed, and failures are split by `reason` (all four reasons
 * present, at 0 until one happens). One difference: a reloaded version starts from zero (its
 * statistics do), where Triton may keep its counters; Prometheus' rate() reads that as a reset.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import {
  CPU_FAMILIES,
  FAILURE_REASONS,
  MODEL_FAMILIES,
  MODEL_LABEL,
  REASON_LABEL,
  VERSION_LABEL,
} from '../../../shared/metrics/families';
import type { StatisticsTotals } from '../statistics';
import type { SystemSample } from './system';

/** What a scrape reads: the server's loaded versions (ModelManager.loadedVersionStatistics). */
export interface LoadedVersion {
  name: string;
  version: number;
  stats: { totals(): StatisticsTotals };
  pending: number;
}

export interface MetricsSources {
  loadedVersions(): LoadedVersion[];
  /** CPU utilisation and memory, as last sampled. */
  system(): SystemSample;
}

/** Per-model counters fed from one field of StatisticsTotals (durations converted ns -> µs). */
const COUNTER_SOURCES = [
  ['requestSuccess', (t) => t.successCount],
  ['inferenceCount', (t) => t.inferenceCount],
  ['execCount', (t) => t.executionCount],
  ['requestDurationUs', (t) => usFromNs(t.requestNs)],
  ['queueDurationUs', (t) => usFromNs(t.queueNs)],
  ['computeInputDurationUs', (t) => usFromNs(t.computeInputNs)],
  ['computeInferDurationUs', (t) => usFromNs(t.computeInferNs)],
  ['computeOutputDurationUs', (t) => usFromNs(t.computeOutputNs)],
] as const satisfies readonly (readonly [keyof typeof MODEL_FAMILIES, (t: StatisticsTotals) => number])[];

function usFromNs(ns: number): number {
  return Math.floor(ns / 1000);
}

export class TritonMetrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter<string>>();
  private readonly failure: Counter<string>;
  private readonly pending: Gauge<string>;
  private readonly cpu: { [K in keyof typeof CPU_FAMILIES]: Gauge<string> };

  constructor(private readonly sources: MetricsSources) {
    const labelNames = [MODEL_LABEL, VERSION_LABEL];
    const counter = (f: { name: string; help: string }, names = labelNames) =>
      new Counter({ name: f.name, help: f.help, labelNames: names, registers: [this.registry] });
    // Registered in Triton's order (core src/metrics.cc), so the output reads like Triton's.
    this.counters.set('requestSuccess', counter(MODEL_FAMILIES.requestSuccess));
    this.failure = counter(MODEL_FAMILIES.requestFailure, [MODEL_LABEL, REASON_LABEL, VERSION_LABEL]);
    for (const [key] of COUNTER_SOURCES)
      if (!this.counters.has(key)) this.counters.set(key, counter(MODEL_FAMILIES[key]));
    this.pending = new Gauge({
      name: MODEL_FAMILIES.pendingRequests.name,
      help: MODEL_FAMILIES.pendingRequests.help,
      labelNames,
      registers: [this.registry],
    });
    const gauge = (f: { name: string; help: string }) =>
      new Gauge({ name: f.name, help: f.help, registers: [this.registry] });
    this.cpu = {
      utilization: gauge(CPU_FAMILIES.utilization),
      memoryTotalBytes: gauge(CPU_FAMILIES.memoryTotalBytes),
      memoryUsedBytes: gauge(CPU_FAMILIES.memoryUsedBytes),
    };
  }

  /** The Prometheus text of this moment: every value read from the sources in one pass, then printed. */
  async text(): Promise<string> {
    this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private refresh(): void {
    // reset() drops every series, so unloaded versions disappear as Triton's do.
    for (const c of this.counters.values()) c.reset();
    this.failure.reset();
    this.pending.reset();
    for (const v of this.sources.loadedVersions()) {
      // Labels in sorted order, as prometheus-cpp prints them.
      const labels = { [MODEL_LABEL]: v.name, [VERSION_LABEL]: String(v.version) };
      const totals = v.stats.totals();
      for (const [key, read] of COUNTER_SOURCES) this.counters.get(key)!.inc(labels, read(totals));
      for (const reason of FAILURE_REASONS) {
        this.failure.inc(
          { [MODEL_LABEL]: v.name, [REASON_LABEL]: reason, [VERSION_LABEL]: String(v.version) },
          totals.failuresByReason[reason],
        );
      }
      this.pending.set(labels, v.pending);
    }
    const system = this.sources.system();
    this.cpu.utilization.set(system.cpuUtilization);
    this.cpu.memoryTotalBytes.set(system.memoryTotalBytes);
    this.cpu.memoryUsedBytes.set(system.memoryUsedBytes);
  }
}
