/**
 * The model worker bundled from the sources is kept on disk (electron/server/backends/workerSource.ts):
 * reused while every file it was bundled from is unchanged, bundled again when any of them changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { bundleWithCache } from '../../electron/server/backends/workerSource';

/** What the bundled script leaves in `globalThis.answer` when run. */
function run(text: string): unknown {
  const sandbox: { answer?: unknown; require: NodeJS.Require } = { require: createRequire(import.meta.url) };
  runInNewContext(text, sandbox);
  return sandbox.answer;
}

test('the worker bundle: reused from disk while its inputs are unchanged, bundled again after an edit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tritonscope-worker-source-'));
  try {
    const entry = join(dir, 'entry.ts');
    const cache = join(dir, 'cache', 'bundle.json');
    writeFileSync(entry, "import { value } from './dep';\n(globalThis as { answer?: number }).answer = value * 2;\n");
    writeFileSync(join(dir, 'dep.ts'), 'export const value: number = 21;\n');

    const first = bundleWithCache(entry, cache);
    assert.equal(first.fromCache, false);
    assert.equal(run(first.text), 42);

    const again = bundleWithCache(entry, cache);
    assert.equal(again.fromCache, true, 'unchanged inputs: the bundle comes from disk');
    assert.equal(again.text, first.text);

    // An edit to a file the entry imports (not the entry itself) invalidates it.
    writeFileSync(join(dir, 'dep.ts'), 'export const value: number = 50;\n');
    const edited = bundleWithCache(entry, cache);
    assert.equal(edited.fromCache, false);
    assert.equal(run(edited.text), 100);
    assert.equal(bundleWithCache(entry, cache).fromCache, true);

    // Another entry never takes this one's bundle.
    const other = join(dir, 'other.ts');
    writeFileSync(other, '(globalThis as { answer?: number }).answer = 7;\n');
    const otherBundle = bundleWithCache(other, cache);
    assert.equal(otherBundle.fromCache, false);
    assert.equal(run(otherBundle.text), 7);

    // A damaged cache is a miss, not an error.
    writeFileSync(cache, '{ not json');
    assert.equal(bundleWithCache(entry, cache).fromCache, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
