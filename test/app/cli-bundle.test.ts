/**
 * bin/cliBundle.mjs: `tritonscope` runs from dist/cli (scripts/build-cli.mjs) only while the bundle's
 * stamp matches its inputs, else from the TypeScript sources; both give the same CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CLI_BUNDLE, CLI_STAMP, cliBundleIsCurrent, loadCliMain } from '../../bin/cliBundle.mjs';
import { inputsHash } from '../../bin/inputsHash.mjs';
import { buildCli } from '../../scripts/build-cli.mjs';
import { makeTempDir } from '../helpers/tempDir';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

test('the bundle counts as current only while every input listed in its stamp is unchanged', () => {
  const tmp = makeTempDir('tritonscope-clistamp-');
  try {
    const root = tmp.dir;
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'dist/cli'), { recursive: true });
    writeFileSync(join(root, 'src/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src/b.ts'), 'export const b = 2;\n');
    const inputs = ['src/a.ts', 'src/b.ts'];
    writeFileSync(join(root, CLI_STAMP), JSON.stringify({ inputs, hash: inputsHash(root, inputs) }));
    assert.equal(cliBundleIsCurrent(root), false, 'no bundle file: not current');
    writeFileSync(join(root, CLI_BUNDLE), 'module.exports = {};\n');
    assert.equal(cliBundleIsCurrent(root), true);
    writeFileSync(join(root, 'src/b.ts'), 'export const b = 3;\n'); // same size, new content
    assert.equal(cliBundleIsCurrent(root), false, 'an input changed');
    writeFileSync(join(root, 'src/b.ts'), 'export const b = 2;\n');
    assert.equal(cliBundleIsCurrent(root), true, 'the same content again');
    rmSync(join(root, 'src/a.ts'));
    assert.equal(cliBundleIsCurrent(root), false, 'an input is gone');
    writeFileSync(join(root, CLI_STAMP), '{ not json');
    assert.equal(cliBundleIsCurrent(root), false, 'an unreadable stamp');
  } finally {
    tmp.cleanup();
  }
});

test('the binary from its bundle and from the sources: the same usage text and exit code', async () => {
  if (!cliBundleIsCurrent(ROOT)) await buildCli(ROOT); // npm test builds it first; a lone run of this file may not
  const outside = process.env['TRITONSCOPE_CLI_FROM_SOURCE']; // the caller's choice, put back at the end
  try {
    delete process.env['TRITONSCOPE_CLI_FROM_SOURCE'];
    assert.equal((await loadCliMain(ROOT)).from, 'bundle');
    process.env['TRITONSCOPE_CLI_FROM_SOURCE'] = '1';
    const fromSource = await loadCliMain(ROOT);
    assert.equal(fromSource.from, 'source');
    assert.equal(typeof fromSource.main, 'function');
  } finally {
    if (outside === undefined) delete process.env['TRITONSCOPE_CLI_FROM_SOURCE'];
    else process.env['TRITONSCOPE_CLI_FROM_SOURCE'] = outside;
  }
  const bin = join(ROOT, 'bin/tritonscope.mjs');
  const { TRITONSCOPE_CLI_FROM_SOURCE: _ignored, ...bundleEnv } = process.env;
  const fromBundle = await run(process.execPath, [bin, 'serve', '--help'], { cwd: ROOT, env: bundleEnv });
  const fromSource = await run(process.execPath, [bin, 'serve', '--help'], {
    cwd: ROOT,
    env: { ...process.env, TRITONSCOPE_CLI_FROM_SOURCE: '1' },
  });
  assert.match(fromBundle.stdout, /^usage: tritonscope serve --model-repository DIR/);
  assert.equal(fromBundle.stdout, fromSource.stdout);
  assert.equal(fromBundle.stderr, fromSource.stderr);
});
