/**
 * Worker threads for model versions, reused: starting one costs a new V8 isolate and ONNX
 * Runtime's bindings, so a worker whose model was unloaded cleanly goes back to a small idle pool
 * for the next load. Idle workers are unref'd and never keep the process alive. Workers that
 * failed or were abandoned are never reused.
 *
 * The worker's code: the built onnxWorker.cjs next to the Electron bundle, or, running from
 * TypeScript sources (tests, CLI), ./onnxWorker.ts bundled once per process by esbuild (tsx's
 * loader hooks do not reach new threads, and registering tsx in every worker costs seconds).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const MAX_IDLE = 4;
const idle: Worker[] = [];

let bundledSource: string | undefined;

/** ./onnxWorker.ts and our modules as one CommonJS script; packages resolve from this folder. */
function bundleWorkerSource(): string {
  if (bundledSource) return bundledSource;
  const entry = join(import.meta.dirname, 'onnxWorker.ts');
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    // An eval'd worker's require() resolves from the working directory: resolve from here instead.
    banner: { js: '(function (require) {' },
    footer: { js: `})(require('node:module').createRequire(${JSON.stringify(entry)}));` },
  });
  bundledSource = out.outputFiles[0].text;
  return bundledSource;
}

/**
 * The built worker next to the bundle. In a packaged app it is unpacked from app.asar (build.asarUnpack)
 * so that the thread loads it, and onnxruntime-node beside it, from real files.
 */
function builtWorkerPath(): string {
  return join(import.meta.dirname, 'onnxWorker.cjs').replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
}

function spawnWorker(): Worker {
  const built = builtWorkerPath();
  const worker = existsSync(built) ? new Worker(built) : new Worker(bundleWorkerSource(), { eval: true });
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
