/**
 * Messages between the server and a model's worker thread (./onnxWorker). Tensors travel as
 * Uint8Array copies whose buffers are transferred, never as views into a larger buffer (structured
 * cloning a view would copy the whole underlying buffer, e.g. an entire gRPC message). The input
 * buffers come back with the answer ('returned') and hold the next request's inputs.
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
  | { t: 'result'; id: number; outputs: WorkerTensor[]; timings: ComputeTimings; returned: ArrayBuffer[] }
  | { t: 'failed'; id: number; error: WorkerError; returned: ArrayBuffer[] }
  | { t: 'closed' };

/**
 * A standalone copy of `data` (own buffer, exactly its bytes) that can be transferred. The memory
 * is not zeroed first (every byte is overwritten): a zeroed multi-megabyte buffer comes fresh from
 * the OS, and its page faults cost more than the copy itself (5 ms per MB on the bench VM, where
 * a video frame's tensor crossed here on every inference). Never from Node's shared pool, whose
 * buffer a transfer would take away from everyone else.
 */
export function ownedCopy(data: Uint8Array, into?: ArrayBuffer): Uint8Array {
  const copy = into?.byteLength === data.byteLength ? new Uint8Array(into) : Buffer.allocUnsafeSlow(data.byteLength);
  copy.set(data);
  return copy;
}

/**
 * Buffers the worker handed back after a run ('returned'), kept for the next request's input copies:
 * a video sends same-sized frames, and a reused buffer has no page faults (a fresh one costs ~5 ms
 * per MB of them on the bench VM, see ownedCopy). Few and small in number: at most `max` buffers.
 */
export class SpareBuffers {
  private readonly free: ArrayBuffer[] = [];
  constructor(private readonly max = 4) {}

  /** A spare buffer of exactly `byteLength` bytes, taken out of the pool, or undefined. */
  take(byteLength: number): ArrayBuffer | undefined {
    const i = this.free.findIndex((b) => b.byteLength === byteLength);
    return i < 0 ? undefined : this.free.splice(i, 1)[0];
  }

  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength > 0) this.free.push(b);
    if (this.free.length > this.max) this.free.splice(0, this.free.length - this.max);
  }
}
