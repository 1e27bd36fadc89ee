#!/usr/bin/env node
// Bundles the CLI (electron/cli/main.ts) with esbuild into dist/cli/main.cjs, with the embedded
// server's model worker beside it (dist/cli/onnxWorker.cjs, where electron/server/backends/workerPool
// looks next to the code that starts it), and stamps both with a hash of their inputs
// (bin/cliBundle.mjs: the binary uses the bundle only while the hash still matches).
// npm packages stay require()s (native modules cannot be bundled).
//   --if-stale   build only when the stamp does not match the sources
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_STAMP, cliBundleIsCurrent } from '../bin/cliBundle.mjs';
import { inputsHash } from '../bin/inputsHash.mjs';
import { nodeBundleOptions } from './lib/nodeBundle.mjs';

/** @param {string} root the repository */
export async function buildCli(root) {
  const outdir = join(root, 'dist/cli');
  mkdirSync(outdir, { recursive: true });
  const base = nodeBundleOptions(root);
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    ...base,
    packages: 'external',
    metafile: true,
    // import.meta.url too: in the CJS bundle, the file's URL.
    define: { ...base.define, 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
  const results = await Promise.all([
    build({ ...common, entryPoints: ['electron/cli/main.ts'], outfile: join(outdir, 'main.cjs') }),
    build({
      ...common,
      entryPoints: ['electron/server/backends/onnxWorker.ts'],
      outfile: join(outdir, 'onnxWorker.cjs'),
    }),
  ]);
  const inputs = [...new Set(results.flatMap((r) => Object.keys(r.metafile?.inputs ?? {})))].sort();
  writeFileSync(join(root, CLI_STAMP), JSON.stringify({ inputs, hash: inputsHash(root, inputs) }, null, 1));
  return inputs.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.argv.includes('--if-stale') && cliBundleIsCurrent(root)) {
    console.log('dist/cli is up to date');
  } else {
    const t = Date.now();
    const n = await buildCli(root);
    console.log(`built dist/cli/main.cjs and onnxWorker.cjs from ${n} sources in ${Date.now() - t} ms`);
  }
}
