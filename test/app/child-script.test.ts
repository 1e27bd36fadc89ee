/**
 * The scripts tests start as child processes run bundled (test/helpers/childScript.ts): the bundle
 * is reused while the files it was made from are unchanged, and made again after any change to one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childScript } from '../helpers/childScript';

/** Writes a file saved a minute ago (one saved while esbuild reads it keeps the bundle unstamped). */
function writeOld(file: string, text: string): void {
  writeFileSync(file, text);
  const then = new Date(Date.now() - 60_000);
  utimesSync(file, then, then);
}

/** Runs the script with plain Node (no tsx), returns what it printed. */
function runPlain(script: string): string {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('a child script: bundled for plain Node, reused while its sources are unchanged, bundled again after an edit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tritonscope-child-script-'));
  try {
    const entry = join(dir, 'child.ts');
    const outDir = join(dir, 'out');
    writeOld(entry, "import { value } from './dep';\nconst doubled: number = value * 2;\nconsole.log(doubled);\n");
    writeOld(join(dir, 'dep.ts'), 'export const value: number = 21;\n');

    const script = childScript(entry, { outDir });
    assert.equal(runPlain(script), '42');
    const built = statSync(script).mtimeMs;

    assert.equal(childScript(entry, { outDir }), script);
    assert.equal(statSync(script).mtimeMs, built, 'unchanged sources: the same file, not bundled again');

    // An edit to a module the entry imports (not the entry itself) makes it again.
    writeOld(join(dir, 'dep.ts'), 'export const value: number = 50;\n');
    assert.equal(runPlain(childScript(entry, { outDir })), '100');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
