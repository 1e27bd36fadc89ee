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
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { inputsHash } from '../../../bin/inputsHash.mjs';

interface Cached {
  /** The build options (entry included) and esbuild's version, hashed (buildKey). */
  key: string;
  /** Every file in the bundle and the project's tsconfig files, relative to the project's folder. */
  inputs: string[];
  /** Their names and contents, hashed (bin/inputsHash.mjs, as the CLI's and the renderer's stamps). */
  hash: string;
  text: string;
}

let bundled: string | undefined;

/** The worker's build options; `extra` adds to them (another script bundled the same way, e.g. a test's child). */
function options(entry: string, extra: BuildOptions = {}): BuildOptions {
  return {
    ...extra,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    // An eval'd worker's require() resolves from the working directory: resolve from here instead.
    banner: { js: `(function (require) {${extra.banner?.js ? `\n${extra.banner.js}` : ''}` },
    footer: { js: `})(require('node:module').createRequire(${JSON.stringify(entry)}));` },
  };
}

/**
 * The project `entry` belongs to: the nearest folder above it with a tsconfig.json (esbuild follows it),
 * and its tsconfig*.json files, relative to it. Without one, the entry's own folder and no files.
 */
function project(entry: string): { root: string; tsconfigs: string[] } {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json')))
      return { root: dir, tsconfigs: readdirSync(dir).filter((n) => /^tsconfig.*\.json$/.test(n)) };
    if (dirname(dir) === dir) return { root: dirname(entry), tsconfigs: [] };
  }
}

const buildKey = (entry: string, extra: BuildOptions, esbuildVersion: string) =>
  createHash('sha256')
    .update(JSON.stringify({ options: options(entry, extra), esbuildVersion }))
    .digest('hex');

function cachedBundle(cacheFile: string, root: string, key: string): string | undefined {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cached;
    // inputsHash is '' when an input is gone: never equal to a stored hash.
    if (cached.key === key && cached.hash && inputsHash(root, cached.inputs) === cached.hash) return cached.text;
  } catch {
    // no cache yet, or unreadable: bundle again
  }
  return undefined;
}

/** Bundles `entry`; `raced` when a file it read was saved meanwhile (then nothing is cached). */
function bundle(
  esbuild: typeof import('esbuild'),
  entry: string,
  extra: BuildOptions,
  cacheFile: string,
  { root, tsconfigs }: { root: string; tsconfigs: string[] },
  key: string,
): { text: string; raced: boolean } {
  const started = Date.now();
  const out = esbuild.buildSync({ ...options(entry, extra), write: false, metafile: true });
  const text = out.outputFiles[0].text;
  const files = Object.keys(out.metafile.inputs).map((f) => resolve(f));
  // A file saved (or removed) while esbuild read it may hash newer than the text it went into: keep no
  // cache then (the next process bundles again) rather than one that looks current and is not.
  const changed = (f: string) => !existsSync(f) || statSync(f).mtimeMs >= started;
  if (files.some(changed)) return { text, raced: true };
  try {
    const inputs = [...files.map((f) => relative(root, f)), ...tsconfigs];
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Whole or not at all: another process may read it meanwhile.
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ key, inputs, hash: inputsHash(root, inputs), text } satisfies Cached));
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only checkout: every process bundles for itself, as without the cache
  }
  return { text, raced: false };
}

/**
 * `entry` bundled as a CommonJS script whose require() resolves from the entry's folder, from
 * `cacheFile` while nothing that decides the bundle has changed, else bundled again (and the cache
 * rewritten). `extra`: build options added to the worker's (they are part of what decides it).
 * `raced`: bundled from a file saved meanwhile, so this process's own (not cached).
 */
export function bundleWithCache(
  entry: string,
  cacheFile: string,
  extra: BuildOptions = {},
): { text: string; fromCache: boolean; raced: boolean } {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const key = buildKey(entry, extra, esbuild.version);
  const proj = project(entry);
  const cached = cachedBundle(cacheFile, proj.root, key);
  if (cached !== undefined) return { text: cached, fromCache: true, raced: false };
  return { ...bundle(esbuild, entry, extra, cacheFile, proj, key), fromCache: false };
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
