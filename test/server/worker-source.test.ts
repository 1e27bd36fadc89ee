/**
 * The model worker bundled from the sources is kept on disk (electron/server/backends/workerSource.ts):
 * reused while nothing that decides it has changed (the files it was bundled from, the tsconfig esbuild
 * follows), bundled again when anything has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { bundleWithCache } from '../../electron/server/backends/workerSource';
import { makeTempDir, writeDatedFile } from '../helpers/tempDir';

/** What the bundled script leaves in `globalThis.answer` when run. */
function run(text: string): unknown {
  const sandbox: { answer?: unknown; require: NodeJS.Require } = { require: createRequire(import.meta.url) };
  runInNewContext(text, sandbox);
  return sandbox.answer;
}

test('the worker bundle: reused from disk while nothing that decides it changed, bundled again after any change', () => {
  const { dir, cleanup } = makeTempDir('tritonscope-worker-source-');
  try {
    const entry = join(dir, 'entry.ts');
    const cache = join(dir, 'cache', 'bundle.json');
    writeDatedFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "target": "ES2022" } }\n');
    writeDatedFile(entry, "import { value } from './dep';\n(globalThis as { answer?: number }).answer = value * 2;\n");
    writeDatedFile(join(dir, 'dep.ts'), 'export const value: number = 21;\n');

    const first = bundleWithCache(entry, cache);
    assert.equal(first.fromCache, false);
    assert.equal(run(first.text), 42);

    const again = bundleWithCache(entry, cache);
    assert.equal(again.fromCache, true, 'unchanged inputs: the bundle comes from disk');
    assert.equal(again.text, first.text);

    // An edit to a file the entry imports (not the entry itself) invalidates it.
    writeDatedFile(join(dir, 'dep.ts'), 'export const value: number = 50;\n');
    const edited = bundleWithCache(entry, cache);
    assert.equal(edited.fromCache, false);
    assert.equal(run(edited.text), 100);
    assert.equal(bundleWithCache(entry, cache).fromCache, true);

    // So does a change to the tsconfig esbuild follows (it is not a bundle input).
    writeDatedFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "target": "ES2020" } }\n');
    assert.equal(bundleWithCache(entry, cache).fromCache, false);
    assert.equal(bundleWithCache(entry, cache).fromCache, true);

    // Another entry never takes this one's bundle.
    const other = join(dir, 'other.ts');
    writeDatedFile(other, '(globalThis as { answer?: number }).answer = 7;\n');
    const otherBundle = bundleWithCache(other, cache);
    assert.equal(otherBundle.fromCache, false);
    assert.equal(run(otherBundle.text), 7);

    // A damaged cache is a miss, not an error.
    writeFileSync(cache, '{ not json');
    assert.equal(bundleWithCache(entry, cache).fromCache, false);

    // An input saved during the build (here: dated after it started) keeps the bundle out of the
    // cache: its hash might not be that of the text esbuild read.
    rmSync(cache);
    writeDatedFile(join(dir, 'dep.ts'), 'export const value: number = 50;\n', -60);
    assert.equal(run(bundleWithCache(entry, cache).text), 100);
    assert.equal(existsSync(cache), false, 'no cache written');
  } finally {
    cleanup();
  }
});
