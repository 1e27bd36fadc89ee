/**
 * The script a test starts as a child process (test/helpers/serverChild.ts, the save-crash loop),
 * bundled by esbuild into one CommonJS file that plain Node runs: through `--import tsx` every
 * start cost 0.3-0.8 s more CPU (tsx's start-up, and each module through Node's loader-hooks
 * thread), and a test run starts such children about ten times.
 *
 * Bundled and cached the way the embedded server's model worker is when it runs from the sources
 * (bundleWithCache, electron/server/backends/workerSource.ts: keyed by the build options and
 * esbuild's version, reused while the files it read and the tsconfig files hash the same), then
 * written out as a file. Each entry has a folder of its own in
 * node_modules/.cache/tritonscope/test-children/ (inside the checkout, so the bundle's require()s of
 * npm packages resolve). A bundle made from a file saved meanwhile goes to a folder of its process's
 * own, never over a current one. The model worker is bundled beside a script that needs it
 * (workerPool.ts looks for onnxWorker.cjs next to the code that starts it, as in the app's and the
 * CLI's bundles).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { bundleWithCache } from '../../electron/server/backends/workerSource';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE_DIR = join(ROOT, 'node_modules/.cache/tritonscope/test-children');
const MODEL_WORKER = join(ROOT, 'electron/server/backends/onnxWorker.ts');

/** Our ESM spellings, in a CommonJS file: its own folder and URL (as the CLI's bundle does). */
const COMMONJS_IMPORT_META = {
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** Writes the file whole or not at all (another process may read it meanwhile), and only when it differs. */
function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * `entry` (a TypeScript file) as a CommonJS script for plain Node (`fork(script, args, { execArgv: [] })`:
 * a fork inherits the test process's `--import tsx` otherwise); with `modelWorker`, the embedded
 * server's model worker is bundled beside it. `cacheDir`: elsewhere than the shared cache (its own test).
 */
export function childScript(entry: string, opts: { modelWorker?: boolean; cacheDir?: string } = {}): string {
  const files = [
    { source: entry, file: 'child.cjs' },
    ...(opts.modelWorker ? [{ source: MODEL_WORKER, file: 'onnxWorker.cjs' }] : []),
  ];
  const id = createHash('sha256')
    .update(JSON.stringify(files.map((f) => [relative(ROOT, f.source), f.file])))
    .digest('hex');
  const dir = join(opts.cacheDir ?? CACHE_DIR, `${basename(entry, '.ts')}-${id.slice(0, 12)}`);
  const bundles = files.map(({ source, file }) => ({
    file,
    ...bundleWithCache(source, join(dir, `${file}.json`), COMMONJS_IMPORT_META),
  }));
  const target = bundles.some((b) => b.raced) ? `${dir}.${process.pid}` : dir;
  for (const { file, text } of bundles) writeIfChanged(join(target, file), text);
  return join(target, 'child.cjs');
}
