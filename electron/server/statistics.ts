/**
 * Per-version inference statistics with Triton's bookkeeping rules (PROTOCOL.md §5): cumulative
 * nanoseconds, `inference_count` in batch elements, `execution_count` in executions, one
 * batch_stats entry per executed batch size, `last_inference` in ms since the epoch. Requests
 * rejected by validation never reach here.
 */
import type { ComputeTimings } from './backends/types';

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

  /** A request that was accepted but failed while executing. */
  recordFailure(totalNs: number): void {
    this.lastInference = Date.now();
    add(this.fail, totalNs);
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
