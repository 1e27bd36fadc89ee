/**
 * Messages between the server and a model's worker thread (./onnxWorker). Tensors travel as
 * Uint8Array copies whose buffers are transferred, never as views into a larger buffer (structured
 * cloning a view would copy the whole underlying buffer, e.g. an entire gRPC message).
 */
import type { ServerModelConfig } from '../modelConfig';
import type { ComputeTimings } from './types';

export interface WorkerTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: Uint8Array;
}

export interface WorkerError {
  /** A Triton status name (INTERNAL, INVALID_ARGUMENT, …). */
  code: string;
  message: string;
}

export type ToWorker =
  | { t: 'load'; file: string; config: ServerModelConfig }
  | { t: 'run'; id: number; inputs: WorkerTensor[]; outputNames: string[] }
  | { t: 'close' };

export type FromWorker =
  | { t: 'loaded' }
  | { t: 'loadFailed'; error: WorkerError }
  | { t: 'result'; id: number; outputs: WorkerTensor[]; timings: ComputeTimings }
  | { t: 'failed'; id: number; error: WorkerError }
  | { t: 'closed' };

/**
 * A standalone copy of `data` (own buffer, exactly its bytes) that can be transferred. The memory
 * is not zeroed first (every byte is overwritten): a zeroed multi-megabyte buffer comes fresh from
 * the OS, and its page faults cost more than the copy itself (5 ms per MB on the bench VM, where
 * a video frame's tensor crossed here on every inference). Never from Node's shared pool, whose
 * buffer a transfer would take away from everyone else.
 */
export function ownedCopy(data: Uint8Array): Uint8Array {
  const copy = Buffer.allocUnsafeSlow(data.byteLength);
  copy.set(data);
  return copy;
}
