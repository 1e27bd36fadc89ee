/**
 * The model worker's code when running from TypeScript sources (tests, the CLI and `npm start` from a
 * checkout): ./onnxWorker.ts and our modules bundled by esbuild into one CommonJS script (tsx's loader
 * hooks do not reach new threads, and registering tsx in every worker costs seconds).
 *
 * Bundling costs about 0.2 s of CPU, and a test run starts the embedded server in a dozen processes,
 * so the result is kept on disk with what decides it: the content hash of every file esbuild read for
 * it, the build options, esbuild's version and the tsconfig files it follows. A process for which all
 * of these are the same reuses it; any change bundles again. A cache that cannot be read or written is
 * only a miss.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';

interface Cached {
  /** Entry, options, esbuild version and tsconfig contents, hashed (buildKey). */
  key: string;
  /** Absolute path -> sha256 of its contents, for every file in the bundle. */
  inputs: Record<string, string>;
  text: string;
}

let bundled: string | undefined;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hashOf = (file: string) => sha256(readFileSync(file));

function options(entry: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    // An eval'd worker's require() resolves from the working directory: resolve from here instead.
    banner: { js: '(function (require) {' },
    footer: { js: `})(require('node:module').createRequire(${JSON.stringify(entry)}));` },
  };
}

/** The tsconfig*.json files of the nearest folder above `entry` that has a tsconfig.json (esbuild reads it). */
function tsconfigFiles(entry: string): string[] {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json')))
      return readdirSync(dir)
        .filter((n) => /^tsconfig.*\.json$/.test(n))
        .sort()
        .map((n) => join(dir, n));
    if (dirname(dir) === dir) return [];
  }
}

function buildKey(entry: string, esbuildVersion: string): string {
  const tsconfigs = tsconfigFiles(entry).map((f) => [f, hashOf(f)]);
  return sha256(JSON.stringify({ options: options(entry), esbuildVersion, tsconfigs }));
}

function cachedBundle(cacheFile: string, key: string): string | undefined {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cached;
    const inputs = Object.entries(cached.inputs);
    if (cached.key === key && inputs.length && inputs.every(([file, hash]) => hashOf(file) === hash))
      return cached.text;
  } catch {
    // no cache yet, a file gone or unreadable: bundle again
  }
  return undefined;
}

function bundle(esbuild: typeof import('esbuild'), entry: string, cacheFile: string, key: string): string {
  const started = Date.now();
  const out = esbuild.buildSync({ ...options(entry), write: false, metafile: true });
  const text = out.outputFiles[0].text;
  try {
    const files = Object.keys(out.metafile.inputs).map((f) => resolve(f));
    // A file saved while esbuild read it may hash newer than the text it went into: keep no cache
    // then (the next process bundles again) rather than one that looks current and is not.
    if (files.some((f) => statSync(f).mtimeMs >= started)) return text;
    const inputs = Object.fromEntries(files.map((f) => [f, hashOf(f)]));
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Whole or not at all: another process may read it meanwhile.
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ key, inputs, text } satisfies Cached));
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only checkout: every process bundles for itself, as without the cache
  }
  return text;
}

/**
 * `entry` bundled as a CommonJS script whose require() resolves from the entry's folder, from
 * `cacheFile` while nothing that decides the bundle has changed, else bundled again (and the cache
 * rewritten).
 */
export function bundleWithCache(entry: string, cacheFile: string): { text: string; fromCache: boolean } {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const key = buildKey(entry, esbuild.version);
  const cached = cachedBundle(cacheFile, key);
  if (cached !== undefined) return { text: cached, fromCache: true };
  return { text: bundle(esbuild, entry, cacheFile, key), fromCache: false };
}

/** The worker script bundled from the sources (once per process, and from disk while they are unchanged). */
export function workerSourceFromTs(): string {
  // Paths worked out here, not at load: in the esbuild bundles (which carry a built worker and never
  // call this) this module's folder is the bundle's, and the checkout's node_modules is not above it.
  const entry = join(import.meta.dirname, 'onnxWorker.ts');
  bundled ??= bundleWithCache(
    entry,
    resolve(import.meta.dirname, '../../../node_modules/.cache/tritonscope/onnxWorker.json'),
  ).text;
  return bundled;
}
