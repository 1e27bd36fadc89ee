/**
 * The script a test starts as a child process (test/helpers/serverChild.ts, the save-crash loop),
 * bundled by esbuild into one CommonJS file that plain Node runs: through `--import tsx` every
 * start cost 0.3-0.8 s more CPU (tsx's start-up, and each module through Node's loader-hooks
 * thread), and a test run starts such children about ten times.
 *
 * Built once and reused by every process while nothing that decides it has changed. Each entry has
 * a folder of its own in node_modules/.cache/tritonscope/test-children/ (inside the checkout, so the
 * bundle's require()s of npm packages resolve), named by the entry's path and options, with a stamp:
 * the build's key (options, esbuild's version) and the files it was made from (those esbuild read
 * and the tsconfig files it follows), hashed with bin/inputsHash.mjs as the CLI's bundle is. Any
 * change bundles again. The embedded server's model worker is bundled beside a script that needs it
 * (workerPool.ts looks for onnxWorker.cjs next to the code that starts it, as in the app's and the
 * CLI's bundles).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { buildSync, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { inputsHash } from '../../bin/inputsHash.mjs';
import { nodeBundleOptions } from '../../scripts/lib/nodeBundle.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE_DIR = join(ROOT, 'node_modules/.cache/tritonscope/test-children');
const MODEL_WORKER = join(ROOT, 'electron/server/backends/onnxWorker.ts');
/** esbuild follows these, but does not list them among a build's inputs. */
const TSCONFIGS = readdirSync(ROOT).filter((n) => /^tsconfig.*\.json$/.test(n));

interface Stamp {
  key: string;
  inputs: string[];
  hash: string;
}

const options = (entry: string, outfile: string): BuildOptions => {
  const base = nodeBundleOptions(ROOT);
  return {
    ...base,
    entryPoints: [entry],
    outfile,
    packages: 'external',
    metafile: true,
    // import.meta.url too (the CLI's bundle does the same): in the CJS bundle, the file's URL.
    define: { ...base.define, 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
};

function isCurrent(stampFile: string, key: string, outputs: string[]): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
    return (
      stamp.key === key &&
      outputs.every((o) => existsSync(o)) &&
      stamp.hash !== '' &&
      inputsHash(ROOT, stamp.inputs) === stamp.hash
    );
  } catch {
    return false;
  }
}

/** Writes the file whole or not at all: another process may read it meanwhile. */
function writeAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Bundles `entries` into `dir` and stamps it, or, when a source was saved while esbuild read it,
 * into a folder of this process's own (a newer bundle may be in `dir` by then: never overwritten
 * with an older one). Returns the folder the bundles are in.
 */
function build(entries: { entry: string; file: string }[], dir: string, key: string): string {
  const started = Date.now();
  const results = entries.map(({ entry, file }) => ({
    file,
    out: buildSync({ ...options(entry, join(dir, file)), write: false }),
  }));
  const read = [...new Set(results.flatMap((r) => Object.keys(r.out.metafile?.inputs ?? {})))];
  const clean = read.every((f) => statSync(join(ROOT, f)).mtimeMs < started);
  const target = clean ? dir : `${dir}.${process.pid}`;
  for (const { out } of results)
    for (const o of out.outputFiles ?? []) writeAtomic(join(target, relative(dir, o.path)), o.contents);
  if (clean) {
    const inputs = [...read, ...TSCONFIGS].sort();
    writeAtomic(
      join(dir, 'stamp.json'),
      JSON.stringify({ key, inputs, hash: inputsHash(ROOT, inputs) } satisfies Stamp),
    );
  }
  return target;
}

/**
 * `entry` (a TypeScript file) as a CommonJS script for plain Node (`fork(script, args, { execArgv: [] })`:
 * a fork inherits the test process's `--import tsx` otherwise); with `modelWorker`, the embedded
 * server's model worker is bundled beside it. `cacheDir`: elsewhere than the shared cache (its own test).
 */
export function childScript(entry: string, opts: { modelWorker?: boolean; cacheDir?: string } = {}): string {
  const from = relative(ROOT, entry);
  const entries = [
    { entry: from, file: 'child.cjs' },
    ...(opts.modelWorker ? [{ entry: relative(ROOT, MODEL_WORKER), file: 'onnxWorker.cjs' }] : []),
  ];
  const key = createHash('sha256')
    .update(JSON.stringify({ entries, options: options(from, 'child.cjs'), esbuildVersion }))
    .digest('hex');
  const dir = join(opts.cacheDir ?? CACHE_DIR, `${basename(entry, '.ts')}-${key.slice(0, 12)}`);
  const outputs = entries.map((e) => join(dir, e.file));
  const folder = isCurrent(join(dir, 'stamp.json'), key, outputs) ? dir : build(entries, dir, key);
  return join(folder, 'child.cjs');
}
