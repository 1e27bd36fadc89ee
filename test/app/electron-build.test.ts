/**
 * Electron main/preload (their type-check is `npm run typecheck`, tsconfig.node.json): the esbuild bundles have the shape a sandboxed app needs: the preload requires nothing but
 * 'electron', the main bundle requires no files of ours (only packages and built-ins).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

test('esbuild bundles: preload is self-contained CJS, main only requires packages', async () => {
  const { buildElectron } = await import('../../scripts/build-electron.mjs');
  await buildElectron();
  const requires = (file: string) =>
    [
      ...new Set(
        [...readFileSync(join(root, 'dist/electron', file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
      ),
    ].sort();
  assert.deepEqual(requires('preload.cjs'), ['electron']);
  const main = requires('main.cjs');
  assert.ok(main.includes('electron'));
  assert.deepEqual(
    main.filter((r) => r.startsWith('.') || r.startsWith('/')),
    [],
    'no relative requires',
  );
  const preload = readFileSync(join(root, 'dist/electron/preload.cjs'), 'utf8');
  assert.match(preload, /exposeInMainWorld\)?\(\s*"tritonscope"/);
});
