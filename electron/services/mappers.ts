/**
 * Typed mappers at the seam between TritonClient (protocol field names, uint64 as decimal strings)
 * and the contract (camelCase; uint64 still decimal strings, so counters stay exact). No guessing:
 * each field is read by its one name, and the compiler checks both sides.
 */
import type {
  InferResponse as ContractInferResponse,
  ModelStatisticsEntry,
  ServerMetadata,
} from '../../shared/contract';
import { ApiError, DATATYPES, type Datatype } from '../../shared/contract';
import type {
  InferResponse,
  ModelStatistics,
  ServerMetadata as ClientServerMetadata,
  StatisticDuration,
} from '../triton/types';

function duration(d: StatisticDuration): ModelStatisticsEntry['inferenceStats']['success'] {
  return { count: d.count, ns: d.ns };
}

export function statisticsFromClient(stats: readonly ModelStatistics[]): ModelStatisticsEntry[] {
  return stats.map((m) => {
    const s = m.inference_stats;
    return {
      name: m.name,
      version: m.version,
      lastInference: m.last_inference,
      inferenceCount: m.inference_count,
      executionCount: m.execution_count,
      inferenceStats: {
        success: duration(s.success),
        fail: duration(s.fail),
        queue: duration(s.queue),
        computeInput: duration(s.compute_input),
        computeInfer: duration(s.compute_infer),
        computeOutput: duration(s.compute_output),
        cacheHit: duration(s.cache_hit),
        cacheMiss: duration(s.cache_miss),
      },
      batchStats: m.batch_stats.map((b) => ({
        batchSize: b.batch_size,
        computeInput: duration(b.compute_input),
        computeInfer: duration(b.compute_infer),
        computeOutput: duration(b.compute_output),
      })),
    };
  });
}

export function serverMetadataFromClient(m: ClientServerMetadata): ServerMetadata {
  return { name: m.name, version: m.version, extensions: [...m.extensions] };
}

const DATATYPE_SET = new Set<string>(DATATYPES);

/**
 * Output tensors as the contract carries them (raw little-endian bytes). `ownBuffers`: each in a
 * buffer of its own (for Electron IPC, see exactBytes); otherwise the client's bytes as they are
 * (the bridge copies them into its frame anyway, so a copy here would only add a buffer per
 * inference for the garbage collector).
 */
export function inferOutputsFromClient(
  r: InferResponse,
  opts: { ownBuffers: boolean } = { ownBuffers: true },
): ContractInferResponse['outputs'] {
  return r.outputs.map((o) => {
    if (!DATATYPE_SET.has(o.datatype))
      throw new ApiError('INTERNAL', `output '${o.name}' has unknown datatype '${o.datatype}'`);
    const data = opts.ownBuffers ? exactBytes(o.data) : o.data;
    return { name: o.name, datatype: o.datatype as Datatype, shape: o.shape.map(Number), data };
  });
}

/**
 * gRPC hands us Buffers that are slices of a larger receive buffer. Structured clone (Electron IPC)
 * would copy that whole buffer, and a view at an odd offset cannot back a Float32Array in the
 * renderer, so for IPC slices are copied once into their own ArrayBuffer (cheap next to the RPC).
 */
function exactBytes(data: Uint8Array): Uint8Array {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && !(data instanceof Buffer)) return data;
  // Not zeroed first (every byte is overwritten; a fresh zeroed buffer costs page faults) and
  // never a slice of Node's shared pool: its own ArrayBuffer, exactly the tensor.
  const copy = Buffer.allocUnsafeSlow(data.byteLength);
  copy.set(data);
  return copy;
}
