/**
 * A model's cumulative statistics (the contract's ModelStatisticsEntry) after `count` successful
 * requests, for tests of what the renderer derives from them. Times are totals in ns; the stages
 * not given stay zero.
 */
import type { ModelStatisticsEntry } from '../../shared/contract';

export function statisticsEntry(
  count: number,
  successNs: number,
  stages: { queueNs?: number; computeInferNs?: number } = {},
): ModelStatisticsEntry {
  const z = { count: '0', ns: '0' };
  const c = String(count);
  const stage = (ns: number | undefined) => (ns === undefined ? z : { count: c, ns: String(ns) });
  return {
    name: 'm',
    version: '1',
    lastInference: '0',
    inferenceCount: c,
    executionCount: c,
    inferenceStats: {
      success: { count: c, ns: String(successNs) },
      fail: z,
      queue: stage(stages.queueNs),
      computeInput: z,
      computeInfer: stage(stages.computeInferNs),
      computeOutput: z,
      cacheHit: z,
      cacheMiss: z,
    },
    batchStats: [],
  };
}
