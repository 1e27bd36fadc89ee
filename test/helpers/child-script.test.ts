/**
 * The scripts tests start as child processes run bundled (test/helpers/childScript.ts): the bundle
 * is reused while the files it was made from are unchanged, made again after any change to one,
 * never shared between two entries, and never published from a build that raced an edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { childScript } from './childScript';
import { makeTempDir, writeDatedFile as writeDated } from './tempDir';

/** Runs the script with plain Node (no tsx), returns what it printed. */
function runPlain(script: string): string {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const childSource = "import { value } from './dep';\nconst doubled: number = value * 2;\nconsole.log(doubled);\n";

test('a child script: bundled for plain Node, reused while its sources are unchanged, bundled again after an edit', () => {
  const { dir, cleanup } = makeTempDir('tritonscope-child-script-');
  try {
    const entry = join(dir, 'child.ts');
    const cacheDir = join(dir, 'cache');
    writeDated(entry, childSource);
    writeDated(join(dir, 'dep.ts'), 'export const value: number = 21;\n');

    const script = childScript(entry, { cacheDir });
    assert.equal(runPlain(script), '42');
    const built = statSync(script).mtimeMs;

    assert.equal(childScript(entry, { cacheDir }), script);
    assert.equal(statSync(script).mtimeMs, built, 'unchanged sources: the same file, not bundled again');

    // An edit to a module the entry imports (not the entry itself) makes it again.
    writeDated(join(dir, 'dep.ts'), 'export const value: number = 50;\n');
    assert.equal(runPlain(childScript(entry, { cacheDir })), '100');
  } finally {
    cleanup();
  }
});

test('two entries of the same name in different folders get bundles of their own', () => {
  const { dir, cleanup } = makeTempDir('tritonscope-child-script-');
  try {
    const cacheDir = join(dir, 'cache');
    for (const [sub, value] of [
      ['a', 1],
      ['b', 2],
    ] as const) {
      writeDated(join(dir, sub, 'child.ts'), childSource);
      writeDated(join(dir, sub, 'dep.ts'), `export const value: number = ${value};\n`);
    }
    assert.equal(runPlain(childScript(join(dir, 'a', 'child.ts'), { cacheDir })), '2');
    assert.equal(runPlain(childScript(join(dir, 'b', 'child.ts'), { cacheDir })), '4');
    assert.equal(runPlain(childScript(join(dir, 'a', 'child.ts'), { cacheDir })), '2');
  } finally {
    cleanup();
  }
});

test('a build that read a file saved meanwhile is used by its own process only, never stamped for others', () => {
  const { dir, cleanup } = makeTempDir('tritonscope-child-script-');
  try {
    const entry = join(dir, 'child.ts');
    const cacheDir = join(dir, 'cache');
    writeDated(entry, childSource);
    // Dated after the build starts: as if saved while esbuild read it.
    writeDated(join(dir, 'dep.ts'), 'export const value: number = 3;\n', -60);
    const script = childScript(entry, { cacheDir });
    assert.equal(runPlain(script), '6');
    assert.ok(dirname(script).endsWith(`.${process.pid}`), `a folder of this process's own: ${script}`);
    const shared = dirname(script).slice(0, -`.${process.pid}`.length);
    assert.equal(existsSync(join(shared, 'child.cjs')), false, 'nothing published for others');
    assert.equal(existsSync(join(shared, 'child.cjs.json')), false, 'no cache that others would trust');
  } finally {
    cleanup();
  }
});
