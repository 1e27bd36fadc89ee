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
import { CLI_STAMP, cliBundleIsCurrent, inputsHash } from '../bin/cliBundle.mjs';

/** @param {string} root the repository */
export async function buildCli(root) {
  const outdir = join(root, 'dist/cli');
  mkdirSync(outdir, { recursive: true });
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
    packages: 'external',
    metafile: true,
    // import.meta.dirname and .url are our ESM spellings; in the CJS bundle __dirname and the file's
    // URL are the equivalents.
    define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__importMetaUrl' },
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
