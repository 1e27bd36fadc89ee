/**
 * The V8 flags of the long-running Node processes (electron/cli/nodeFlags.ts) can only be given on
 * Node's command line, so they are written out in package.json's scripts and the bin/ shebangs.
 * These tests keep every copy equal to the one list, check that npm test's processes get it, and
 * check that Node accepts it: a flag Node rejects would stop `npm start` before it printed anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVING_NODE_FLAGS } from '../../electron/cli/nodeFlags';

const root = resolve(import.meta.dirname, '../..');
const flags = SERVING_NODE_FLAGS.join(' ');

test('package.json starts the app, the CLI and the UI with the serving V8 flags', () => {
  const scripts = (
    JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  assert.equal(scripts['start'], `node ${flags} bin/start.mjs`);
  assert.equal(scripts['tritonscope'], `node ${flags} bin/tritonscope.mjs`);
  assert.equal(scripts['ui'], `node ${flags} bin/tritonscope.mjs ui`);
});

test('the bin/ entry points carry the serving V8 flags in their shebang', () => {
  for (const file of ['bin/start.mjs', 'bin/tritonscope.mjs']) {
    const first = readFileSync(resolve(root, file), 'utf8').split('\n')[0];
    // `env -S` splits the rest into arguments (coreutils >= 8.30, macOS, and npm's Windows shims)
    assert.equal(first, `#!/usr/bin/env -S node ${flags}`, file);
  }
});

test('npm test runs its test processes with the serving V8 flags (as the app runs)', (t) => {
  // TEST_CPU_FILE is set by scripts/run-tests.mjs: run another way (node --test), nobody passed them.
  if (!process.env['TEST_CPU_FILE']) return t.skip('not run by npm test (scripts/run-tests.mjs)');
  if (process.env['TEST_HEAP_FLAG'] === '0') return t.skip('TEST_HEAP_FLAG=0 leaves them out');
  for (const flag of SERVING_NODE_FLAGS)
    assert.ok(process.execArgv.includes(flag), `${flag} in ${process.execArgv.join(' ')}`);
});

test('Node accepts the serving V8 flags on its command line and reports them in execArgv', () => {
  const r = spawnSync(process.execPath, [...SERVING_NODE_FLAGS, '-p', 'JSON.stringify(process.execArgv)'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as string[]).slice(0, SERVING_NODE_FLAGS.length), [...SERVING_NODE_FLAGS]);
});
