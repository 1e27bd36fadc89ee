/**
 * Per-version inference statistics with Triton's bookkeeping rules (PROTOCOL.md §5): cumulative
 * nanoseconds, `inference_count` in batch elements, `execution_count` in executions, one
 * batch_stats entry per executed batch size, `last_inference` in ms since the epoch. Requests
 * rejected by validation never reach here.
 */
import type { ComputeTimings } from './backends/types';
import type { FailureReason } from '../../shared/metrics/families';

interface Duration {
  count: number;
  ns: number;
}
const zero = (): Duration => ({ count: 0, ns: 0 });

interface BatchEntry {
  compute_input: Duration;
  compute_infer: Duration;
  compute_output: Duration;
}

/** Cumulative totals of one version, as the metrics endpoint reads them (./metrics/registry). */
export interface StatisticsTotals {
  successCount: number;
  failureCount: number;
  failuresByReason: Readonly<Record<FailureReason, number>>;
  inferenceCount: number;
  executionCount: number;
  requestNs: number;
  queueNs: number;
  computeInputNs: number;
  computeInferNs: number;
  computeOutputNs: number;
}

export class VersionStatistics {
  lastInference = 0;
  inferenceCount = 0;
  executionCount = 0;
  private readonly success = zero();
  private readonly fail = zero();
  private readonly queue = zero();
  private readonly computeInput = zero();
  private readonly computeInfer = zero();
  private readonly computeOutput = zero();
  private readonly batches = new Map<number, BatchEntry>();
  private readonly failuresByReason: Record<FailureReason, number> = { REJECTED: 0, CANCELED: 0, BACKEND: 0, OTHER: 0 };

  recordSuccess(batchSize: number, totalNs: number, queueNs: number, timings: ComputeTimings): void {
    this.lastInference = Date.now();
    this.inferenceCount += batchSize;
    this.executionCount += 1;
    add(this.success, totalNs);
    add(this.queue, queueNs);
    add(this.computeInput, timings.computeInputNs);
    add(this.computeInfer, timings.computeInferNs);
    add(this.computeOutput, timings.computeOutputNs);
    let entry = this.batches.get(batchSize);
    if (!entry) {
      entry = { compute_input: zero(), compute_infer: zero(), compute_output: zero() };
      this.batches.set(batchSize, entry);
    }
    add(entry.compute_input, timings.computeInputNs);
    add(entry.compute_infer, timings.computeInferNs);
    add(entry.compute_output, timings.computeOutputNs);
  }

  /**
   * A request that was accepted but failed while executing. The reason is Triton's failure
   * category (the `reason` label of nv_inference_request_failure): BACKEND when the model's
   * execution failed, OTHER for ensembles and failures around the execution.
   */
  recordFailure(totalNs: number, reason: FailureReason = 'BACKEND'): void {
    this.lastInference = Date.now();
    add(this.fail, totalNs);
    this.failuresByReason[reason] += 1;
  }

  totals(): StatisticsTotals {
    return {
      successCount: this.success.count,
      failureCount: this.fail.count,
      failuresByReason: { ...this.failuresByReason },
      inferenceCount: this.inferenceCount,
      executionCount: this.executionCount,
      requestNs: this.success.ns,
      queueNs: this.queue.ns,
      computeInputNs: this.computeInput.ns,
      computeInferNs: this.computeInfer.ns,
      computeOutputNs: this.computeOutput.ns,
    };
  }

  toProto(name: string, version: number): object {
    return {
      name,
      version: String(version),
      last_inference: this.lastInference,
      inference_count: this.inferenceCount,
      execution_count: this.executionCount,
      inference_stats: {
        success: { ...this.success },
        fail: { ...this.fail },
        queue: { ...this.queue },
        compute_input: { ...this.computeInput },
        compute_infer: { ...this.computeInfer },
        compute_output: { ...this.computeOutput },
        cache_hit: zero(),
        cache_miss: zero(),
      },
      batch_stats: [...this.batches.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([batch_size, e]) => ({ batch_size, ...structuredClone(e) })),
      memory_usage: [],
      response_stats: {},
    };
  }
}

function add(d: Duration, ns: number): void {
  d.count += 1;
  d.ns += Math.max(0, Math.round(ns));
}

/** Counting semaphore: at most `instances` executions of one version at a time (its instance_group count). */
export class InstanceSlots {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly instances: number) {}

  /** Requests waiting for a free instance (Triton's nv_inference_pending_request_count). */
  get pending(): number {
    return this.waiters.length;
  }

  async acquire(): Promise<void> {
    if (this.active < this.instances) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}
