/**
 * The model worker's code when running from TypeScript sources (tests, the CLI and `npm start` from a
 * checkout): ./onnxWorker.ts and our modules bundled by esbuild into one CommonJS script (tsx's loader
 * hooks do not reach new threads, and registering tsx in every worker costs seconds).
 *
 * Bundling costs about 0.2 s of CPU, and a test run starts the embedded server in a dozen processes,
 * so the result is kept on disk with the content hash of every file esbuild read for it: a process
 * whose inputs hash the same reuses it, any edit to any of them bundles again. A cache that cannot
 * be read or written is only a miss.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ENTRY = join(import.meta.dirname, 'onnxWorker.ts');
const CACHE_FILE = resolve(import.meta.dirname, '../../../node_modules/.cache/tritonscope/onnxWorker.json');

interface Cached {
  entry: string;
  /** Absolute path -> sha256 of its contents, for every file in the bundle. */
  inputs: Record<string, string>;
  text: string;
}

let bundled: string | undefined;

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function cachedBundle(entry: string, cacheFile: string): string | undefined {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cached;
    const inputs = Object.entries(cached.inputs);
    if (cached.entry === entry && inputs.length && inputs.every(([file, hash]) => hashOf(file) === hash))
      return cached.text;
  } catch {
    // no cache yet, a file gone or unreadable: bundle again
  }
  return undefined;
}

function bundle(entry: string, cacheFile: string): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // An eval'd worker's require() resolves from the working directory: resolve from here instead.
    banner: { js: '(function (require) {' },
    footer: { js: `})(require('node:module').createRequire(${JSON.stringify(entry)}));` },
  });
  const text = out.outputFiles[0].text;
  try {
    const inputs: Record<string, string> = {};
    for (const file of Object.keys(out.metafile.inputs)) inputs[resolve(file)] = hashOf(resolve(file));
    mkdirSync(join(cacheFile, '..'), { recursive: true });
    // Whole or not at all: another process may read it meanwhile.
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ entry, inputs, text } satisfies Cached));
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only checkout: every process bundles for itself, as without the cache
  }
  return text;
}

/**
 * `entry` bundled as a CommonJS script whose require() resolves from the entry's folder, from
 * `cacheFile` while every input file is unchanged, else bundled again (and the cache rewritten).
 */
export function bundleWithCache(entry: string, cacheFile: string): { text: string; fromCache: boolean } {
  const cached = cachedBundle(entry, cacheFile);
  return cached === undefined
    ? { text: bundle(entry, cacheFile), fromCache: false }
    : { text: cached, fromCache: true };
}

/** The worker script bundled from the sources (once per process, and from disk while they are unchanged). */
export function workerSourceFromTs(): string {
  bundled ??= bundleWithCache(ENTRY, CACHE_FILE).text;
  return bundled;
}
