/**
 * `npm start` on a machine without Electron's binary (this one: its download is skipped): it must
 * say so clearly and fall back to browser mode on 127.0.0.1 with a token URL. `--smoke` makes it
 * verify the page is served and exit; `--skip-build` leaves builds to npm test's own steps.
 * needs: renderer build (scripts/run-tests.mjs builds it before the tests when this file is selected)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '../..');

function electronInstalled(): boolean {
  try {
    createRequire(join(root, 'package.json'))('electron');
    return true;
  } catch {
    return false;
  }
}

test(
  'npm start falls back to browser mode with a clear message when Electron is absent',
  { skip: electronInstalled() && 'Electron binary present' },
  () => {
    const configDir = mkdtempSync(join(tmpdir(), 'tritonscope-start-'));
    try {
      const r = spawnSync(process.execPath, ['bin/start.mjs', '--smoke', '--skip-build'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 90_000,
        env: { ...process.env, TRITONSCOPE_CONFIG_DIR: configDir },
      });
      const out = r.stdout + r.stderr;
      assert.equal(r.status, 0, out);
      assert.match(
        r.stdout,
        /Electron binary not installed \(downloads are skipped on this machine\); starting browser mode\./,
      );
      assert.match(r.stdout, /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}/);
      assert.match(r.stdout, /smoke: ok \(.*API answers\)/);
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
  },
);

test('tritonscope ui rejects bad flags with a one-line error', () => {
  const r = spawnSync(process.execPath, ['bin/tritonscope.mjs', 'ui', '--port', 'abc'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tritonscope ui: --port must be 0\.\.65535, got 'abc'\n$/);
  const nl = spawnSync(process.execPath, ['bin/tritonscope.mjs', 'ui', '--host', '0.0.0.0', '--no-demo', '--smoke'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(nl.status, 1);
  assert.match(nl.stderr, /refusing to listen on 0\.0\.0\.0/);
});
