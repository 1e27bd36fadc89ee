/**
 * The script a test starts as a child process (test/helpers/serverChild.ts, the save-crash loop),
 * bundled by esbuild into one CommonJS file that plain Node runs: through `--import tsx` every
 * start cost 0.3-0.8 s more CPU (tsx's start-up, and each module through Node's loader-hooks
 * thread), and a test run starts such children about ten times.
 *
 * Built once and reused by every process while the sources are the same: the bundle sits in
 * node_modules/.cache/tritonscope/test-children/ (inside the checkout, so its require()s of npm
 * packages resolve) with a stamp of what it was made from (the files esbuild read, hashed with
 * bin/inputsHash.mjs as the CLI's bundle is). Any change to them bundles again. The embedded
 * server's model worker is bundled beside a script that needs it (workerPool.ts looks for
 * onnxWorker.cjs next to the code that starts it, as in the app's and the CLI's bundles).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';
import { inputsHash } from '../../bin/inputsHash.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = join(ROOT, 'node_modules/.cache/tritonscope/test-children');
const MODEL_WORKER = join(ROOT, 'electron/server/backends/onnxWorker.ts');

interface Stamp {
  inputs: string[];
  hash: string;
}

const options = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  // Stack traces that name the sources when NODE_OPTIONS has --enable-source-maps (not on by
  // default: reading the map costs each child start 0.1 s of CPU).
  sourcemap: 'inline',
  logLevel: 'error',
  absWorkingDir: ROOT,
  metafile: true,
  // import.meta.dirname is our ESM spelling; in the CJS bundle __dirname is the equivalent.
  define: { 'import.meta.dirname': '__dirname' },
});

function isCurrent(stampFile: string, outputs: string[]): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
    return outputs.every((o) => existsSync(o)) && stamp.hash !== '' && inputsHash(ROOT, stamp.inputs) === stamp.hash;
  } catch {
    return false;
  }
}

/** Writes the file whole or not at all: another process may read it meanwhile. */
function writeAtomic(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function build(entries: { entry: string; outfile: string }[], stampFile: string): void {
  mkdirSync(dirname(stampFile), { recursive: true });
  const started = Date.now();
  const inputs = new Set<string>();
  for (const { entry, outfile } of entries) {
    const result = buildSync({ ...options(entry, outfile), write: false });
    for (const file of result.outputFiles ?? []) writeAtomic(file.path, file.contents);
    for (const input of Object.keys(result.metafile?.inputs ?? {})) inputs.add(input);
  }
  // A file saved while esbuild read it may be newer than the bundle: no stamp then, so the next
  // process bundles again rather than trusting one that looks current and is not.
  if ([...inputs].some((f) => statSync(join(ROOT, f)).mtimeMs >= started)) return;
  const list = [...inputs].sort();
  writeAtomic(stampFile, JSON.stringify({ inputs: list, hash: inputsHash(ROOT, list) } satisfies Stamp));
}

/**
 * `entry` (a TypeScript file) as a CommonJS script for plain Node (`fork(script, args, { execArgv: [] })`:
 * a fork inherits the test process's `--import tsx` otherwise); with `modelWorker`, the embedded
 * server's model worker is bundled beside it. `outDir`: elsewhere than the shared cache (its own test).
 */
export function childScript(entry: string, opts: { modelWorker?: boolean; outDir?: string } = {}): string {
  const outDir = opts.outDir ?? OUT_DIR;
  const name = basename(entry).replace(/\.ts$/, '');
  const script = join(outDir, `${name}.cjs`);
  const worker = join(outDir, 'onnxWorker.cjs');
  const stampFile = join(outDir, `${name}.stamp.json`);
  const entries = [
    { entry: relative(ROOT, entry), outfile: script },
    ...(opts.modelWorker ? [{ entry: relative(ROOT, MODEL_WORKER), outfile: worker }] : []),
  ];
  const outputs = entries.map((e) => e.outfile);
  if (!isCurrent(stampFile, outputs)) build(entries, stampFile);
  return script;
}
