#!/usr/bin/env node
// Bundles the Electron main process and preload with esbuild into dist/electron:
//  - main.cjs: our TypeScript bundled, npm packages left as require()s (native modules like
//    onnxruntime-node and sharp cannot be bundled, and electron-builder ships node_modules anyway);
//  - preload.cjs: fully self-contained CommonJS, because a sandboxed preload may only require
//    'electron' (and a few built-ins), never files or packages;
//  - serverProcess.cjs: the utility process running the embedded server, and onnxWorker.cjs,
//    its model worker threads.
// `--if-stale` skips the build when the outputs are newer than every source under electron/ and shared/.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from './lib/nodeBundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/electron');
const outputs = [
  join(outdir, 'main.cjs'),
  join(outdir, 'preload.cjs'),
  join(outdir, 'onnxWorker.cjs'),
  join(outdir, 'serverProcess.cjs'),
];

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|mts|js|mjs|proto)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function electronBundlesStale() {
  if (!outputs.every((f) => existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return ['electron', 'shared'].some((d) => newestMtime(join(root, d)) > built);
}

export async function buildElectron() {
  const common = nodeBundleOptions(root);
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: outputs[0],
      packages: 'external',
      external: ['electron'],
    }),
    build({ ...common, entryPoints: ['electron/preload.ts'], outfile: outputs[1], external: ['electron'] }),
    // The embedded server's model worker threads (electron/server/backends/workerPool looks for it
    // next to the bundle that starts them).
    build({
      ...common,
      entryPoints: ['electron/server/backends/onnxWorker.ts'],
      outfile: outputs[2],
      packages: 'external',
    }),
    // The utility process that runs the embedded server (main.ts forks it).
    build({ ...common, entryPoints: ['electron/serverProcess.ts'], outfile: outputs[3], packages: 'external' }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && !electronBundlesStale()) {
    console.log('dist/electron is up to date');
  } else {
    const t = Date.now();
    await buildElectron();
    console.log(
      `built dist/electron/main.cjs, preload.cjs, serverProcess.cjs and onnxWorker.cjs in ${Date.now() - t} ms`,
    );
  }
}
