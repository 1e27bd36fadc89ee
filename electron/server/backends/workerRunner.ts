/**
 * A model version whose ONNX Runtime session lives in its own worker thread (./onnxWorker): session
 * creation and inference never run on the server's main thread, so a slow, stuck or failing model
 * cannot block the gRPC front end (ServerLive keeps answering). One worker per loaded version;
 * several requests may be in flight in it at once (ORT runs them on its own thread pool).
 *
 * Before anything opens the file we require a regular file (a FIFO or device would block the
 * reader), and a load that takes longer than the timeout is abandoned: the version fails with a
 * clear reason at once, and the worker is stopped as soon as it comes back from native code. A worker that dies fails its in-flight requests with
 * INTERNAL instead of leaving them hanging. (A native crash inside ORT still takes the whole
 * process down: threads share it. In Electron the server runs in a utility process for that.)
 */
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { ServerModelConfig } from '../modelConfig';
import { internal, invalidArg, TritonServerError, type TritonErrorCode } from '../tritonError';
import type { ExecutionResult, VersionRunner, WireTensor } from './types';
import { acquireWorker, releaseWorker } from './workerPool';
import { ownedCopy, SpareBuffers, type FromWorker, type ToWorker, type WorkerError } from './workerProtocol';

/** Default load timeout; TRITONSCOPE_MODEL_LOAD_TIMEOUT_MS overrides it (large models on slow disks). */
export const DEFAULT_LOAD_TIMEOUT_MS = 120_000;

export function loadTimeoutMs(): number {
  const env = Number(process.env.TRITONSCOPE_MODEL_LOAD_TIMEOUT_MS);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_LOAD_TIMEOUT_MS;
}

function fromWorkerError(e: WorkerError): TritonServerError {
  return new TritonServerError(e.code as TritonErrorCode, e.message);
}

/** Refuses anything but a regular file before a reader opens it (stat does not open or block). */
export function checkRegularModelFile(file: string, model: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw internal(`unable to find '${file}' for model '${model}'`);
  }
  if (!st.isFile()) {
    const kind = st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : 'not a regular file';
    throw invalidArg(`model file '${file}' for model '${model}' is ${kind}; a model file must be a regular file`);
  }
}

export async function loadOnnxRunnerInWorker(
  file: string,
  config: ServerModelConfig,
  timeoutMs = loadTimeoutMs(),
): Promise<VersionRunner> {
  checkRegularModelFile(file, config.name ?? '');
  const runner = new WorkerRunner(acquireWorker());
  try {
    await runner.load(file, config, timeoutMs);
  } catch (err) {
    await runner.close(); // a failed load releases its session; an abandoned one is terminated
    throw err;
  }
  return runner;
}

type Pending = { resolve: (r: ExecutionResult) => void; reject: (e: Error) => void };

class WorkerRunner implements VersionRunner {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private loadWaiter?: { resolve: () => void; reject: (e: Error) => void };
  private closeWaiter?: (clean: boolean) => void;
  /** Set once the worker is gone; every later call fails with it. */
  private dead?: TritonServerError;
  /** Input buffers the worker gave back, reused for the next inputs of the same size. */
  private readonly spare = new SpareBuffers();
  private closing = false;
  onDead?: (reason: string) => void;

  private readonly listeners = {
    message: (msg: FromWorker) => this.onMessage(msg),
    error: (err: Error) => this.fail(internal(`the model's worker thread failed: ${err.message}`), 'now'),
    exit: (code: number) => this.fail(internal(`the model's worker thread exited (code ${code})`), 'now'),
  };

  constructor(private readonly worker: Worker) {
    worker.on('message', this.listeners.message);
    worker.on('error', this.listeners.error);
    worker.on('exit', this.listeners.exit);
  }

  private detach(): void {
    this.worker.off('message', this.listeners.message);
    this.worker.off('error', this.listeners.error);
    this.worker.off('exit', this.listeners.exit);
  }

  load(file: string, config: ServerModelConfig, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = internal(`loading '${file}' took longer than ${timeoutMs} ms; the load was abandoned`);
        this.fail(err, 'when-idle');
      }, timeoutMs);
      this.loadWaiter = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.post({ t: 'load', file, config });
    });
  }

  private post(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.t) {
      case 'loaded':
        this.loadWaiter?.resolve();
        this.loadWaiter = undefined;
        return;
      case 'loadFailed':
        this.loadWaiter?.reject(fromWorkerError(msg.error));
        this.loadWaiter = undefined;
        return;
      case 'result':
      case 'failed': {
        this.spare.give(msg.returned);
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.t === 'failed') return p.reject(fromWorkerError(msg.error));
        const outputs = msg.outputs.map((t) => ({
          ...t,
          data: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        }));
        return p.resolve({ outputs, timings: msg.timings });
      }
      case 'closed':
        this.closeWaiter?.(true);
        return;
    }
  }

  /**
   * The worker is gone or given up on: fail everything waiting and stop it. A worker that may be
   * inside ONNX Runtime's native code ('when-idle': a load past its timeout, a close that does not
   * answer) is not terminated there, since terminating a thread mid-call aborts the whole process;
   * it is unref'd, asked to release its session, and terminated once it answers from JavaScript.
   */
  private fail(err: TritonServerError, stop: 'now' | 'when-idle'): void {
    if (this.dead) return;
    this.dead = err;
    if (!this.closing && !this.loadWaiter) this.onDead?.(err.message);
    this.loadWaiter?.reject(err);
    this.loadWaiter = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.closeWaiter?.(false);
    this.closeWaiter = undefined;
    this.detach();
    if (stop === 'now') {
      void this.worker.terminate();
      return;
    }
    this.worker.unref();
    const stopWhenIdle = (msg: FromWorker) => {
      if (msg.t === 'loaded') return this.post({ t: 'close' });
      if (msg.t === 'loadFailed' || msg.t === 'closed') {
        this.worker.off('message', stopWhenIdle);
        void this.worker.terminate();
      }
    };
    this.worker.on('message', stopWhenIdle);
  }

  execute(inputs: WireTensor[], outputNames: string[]): Promise<ExecutionResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const copies = inputs.map((t) => ({
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      data: ownedCopy(t.data, this.spare.take(t.data.byteLength)),
    }));
    return new Promise<ExecutionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post(
        { t: 'run', id, inputs: copies, outputNames },
        copies.map((t) => t.data.buffer as ArrayBuffer),
      );
    });
  }

  async close(): Promise<void> {
    if (this.dead) return;
    this.closing = true;
    // Let ORT release the session cleanly; a worker that does not answer in time is terminated.
    const clean = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      this.closeWaiter = (ok) => (clearTimeout(timer), resolve(ok));
      this.post({ t: 'close' });
    });
    if (this.dead) return;
    if (!clean) return this.fail(internal('the model did not release its session in time'), 'when-idle');
    // The worker answers every run before 'closed'; one still waiting means it cannot be trusted
    // with another model (its late answer would resolve that model's request of the same id).
    if (this.pending.size) return this.fail(internal('the model was unloaded with requests unanswered'), 'now');
    this.dead = internal('the model was unloaded');
    this.detach();
    releaseWorker(this.worker);
  }
}
