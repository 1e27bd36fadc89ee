/**
 * Worker threads for model versions, reused: starting one costs a new V8 isolate and ONNX
 * Runtime's bindings, so a worker whose model was unloaded cleanly goes back to a small idle pool
 * for the next load. Idle workers are unref'd and never keep the process alive. Workers that
 * failed or were abandoned are never reused.
 *
 * The worker's code: the built onnxWorker.cjs next to the Electron bundle, or, running from
 * TypeScript sources (tests, CLI), ./onnxWorker.ts bundled by esbuild (./workerSource.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerSourceFromTs } from './workerSource';

const MAX_IDLE = 4;
const idle: Worker[] = [];

/**
 * The built worker next to the bundle. In a packaged app it is unpacked from app.asar (build.asarUnpack)
 * so that the thread loads it, and onnxruntime-node beside it, from real files.
 */
function builtWorkerPath(): string {
  return join(import.meta.dirname, 'onnxWorker.cjs').replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
}

function spawnWorker(): Worker {
  const built = builtWorkerPath();
  const worker = existsSync(built) ? new Worker(built) : new Worker(workerSourceFromTs(), { eval: true });
  // An idle worker that fails or dies (it should not) must simply leave the pool; the runner that
  // uses a worker adds its own listeners (once per use, this one once per worker).
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    const i = idle.indexOf(worker);
    if (i >= 0) idle.splice(i, 1);
  });
  return worker;
}

export function acquireWorker(): Worker {
  const worker = idle.pop() ?? spawnWorker();
  worker.ref();
  return worker;
}

/** A worker whose session was released cleanly; anything else must be terminated instead. */
export function releaseWorker(worker: Worker): void {
  if (idle.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle.push(worker);
}

/** Starts `count` idle workers ahead of the first loads (the embedded server does at start-up). */
export function prewarmWorkers(count = 1): void {
  while (idle.length < Math.min(count, MAX_IDLE)) {
    const worker = spawnWorker();
    worker.unref();
    idle.push(worker);
  }
}

export function idleWorkerCount(): number {
  return idle.length;
}
