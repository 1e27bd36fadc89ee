/**
 * Worker-thread side of a model version (see ./workerRunner): loads the ONNX Runtime session and
 * runs requests here, off the server's main thread, so that a slow or stuck load or a long
 * inference never stalls the gRPC front end.
 */
import { parentPort } from 'node:worker_threads';
import { TritonServerError } from '../tritonError';
import { loadOnnxRunner } from './onnxRunner';
import type { VersionRunner } from './types';
import { ownedCopy, type FromWorker, type ToWorker, type WorkerError } from './workerProtocol';

if (!parentPort) throw new Error('onnxWorker must run in a worker thread');
const port = parentPort;
let runner: VersionRunner | undefined;
/** Runs not yet answered: a close waits for them, so every run's answer is posted before 'closed'. */
const running = new Set<Promise<void>>();

function toWorkerError(err: unknown): WorkerError {
  if (err instanceof TritonServerError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

port.on('message', async (msg: ToWorker) => {
  switch (msg.t) {
    case 'load':
      try {
        runner = await loadOnnxRunner(msg.file, msg.config);
        post({ t: 'loaded' });
      } catch (err) {
        post({ t: 'loadFailed', error: toWorkerError(err) });
      }
      return;
    case 'run': {
      const done = run(msg);
      running.add(done);
      await done;
      running.delete(done);
      return;
    }
    case 'close':
      // Not while a run uses the session: releasing it mid-run, then answering 'closed' before the
      // run's result, let that result reach whichever model took this worker from the pool next.
      await Promise.allSettled([...running]);
      await runner?.close().catch(() => {});
      runner = undefined;
      post({ t: 'closed' });
      return;
  }
});

/** One request through the session; its answer (or its error) is posted back. */
async function run(msg: Extract<ToWorker, { t: 'run' }>): Promise<void> {
  // The input buffers go back with the answer, for the server's next request (once the run is
  // over nothing here uses them; the outputs are copied out before they leave).
  const returned = msg.inputs.map((t) => t.data.buffer as ArrayBuffer);
  try {
    if (!runner) throw new TritonServerError('INTERNAL', 'the model is not loaded in its worker');
    const inputs = msg.inputs.map((t) => ({
      ...t,
      data: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
    }));
    const result = await runner.execute(inputs, msg.outputNames);
    const outputs = result.outputs.map((t) => ({ ...t, data: ownedCopy(t.data) }));
    post({ t: 'result', id: msg.id, outputs, timings: result.timings, returned }, [
      ...outputs.map((t) => t.data.buffer as ArrayBuffer),
      ...returned,
    ]);
  } catch (err) {
    post({ t: 'failed', id: msg.id, error: toWorkerError(err), returned }, returned);
  }
}
