/**
 * TritonClient returns protobuf messages as plain objects; these turn them into the contract's
 * shapes (int64 -> number, strings for versions) and accept both proto field spellings
 * (snake_case as Triton names them, lowerCamelCase as proto3 JSON prints them).
 */
import type { ModelIndexEntry, ModelMetadata, ModelStatisticsEntry } from '../../shared/contract';

type Obj = Record<string, unknown>;

export function pick(o: unknown, snake: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Obj;
  if (snake in r) return r[snake];
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return r[camel];
}

export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  if (v && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber(); // protobufjs Long
  }
  return 0;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function toIndex(raw: unknown): ModelIndexEntry[] {
  const list = Array.isArray(raw) ? raw : arr(pick(raw, 'models'));
  return list.map((m) => ({
    name: str(pick(m, 'name')),
    version: str(pick(m, 'version')),
    state: str(pick(m, 'state')),
    reason: str(pick(m, 'reason')),
  }));
}

export function toMetadata(raw: unknown): ModelMetadata {
  const tensor = (t: unknown) => ({
    name: str(pick(t, 'name')),
    datatype: str(pick(t, 'datatype')),
    shape: arr(pick(t, 'shape')).map(num),
  });
  return {
    name: str(pick(raw, 'name')),
    versions: arr(pick(raw, 'versions')).map(str),
    platform: str(pick(raw, 'platform')),
    inputs: arr(pick(raw, 'inputs')).map(tensor),
    outputs: arr(pick(raw, 'outputs')).map(tensor),
  };
}

function duration(d: unknown) {
  return { count: num(pick(d, 'count')), ns: num(pick(d, 'ns')) };
}

export function toStatistics(raw: unknown): ModelStatisticsEntry[] {
  const list = Array.isArray(raw) ? raw : arr(pick(raw, 'model_stats'));
  return list.map((m) => {
    const s = pick(m, 'inference_stats');
    return {
      name: str(pick(m, 'name')),
      version: str(pick(m, 'version')),
      lastInference: num(pick(m, 'last_inference')),
      inferenceCount: num(pick(m, 'inference_count')),
      executionCount: num(pick(m, 'execution_count')),
      inferenceStats: {
        success: duration(pick(s, 'success')),
        fail: duration(pick(s, 'fail')),
        queue: duration(pick(s, 'queue')),
        computeInput: duration(pick(s, 'compute_input')),
        computeInfer: duration(pick(s, 'compute_infer')),
        computeOutput: duration(pick(s, 'compute_output')),
        cacheHit: duration(pick(s, 'cache_hit')),
        cacheMiss: duration(pick(s, 'cache_miss')),
      },
      batchStats: arr(pick(m, 'batch_stats')).map((b) => ({
        batchSize: num(pick(b, 'batch_size')),
        computeInput: duration(pick(b, 'compute_input')),
        computeInfer: duration(pick(b, 'compute_infer')),
        computeOutput: duration(pick(b, 'compute_output')),
      })),
    };
  });
}
