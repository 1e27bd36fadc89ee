/**
 * Electron main/preload: they type-check on their own (strict, with Electron's own typings), and
 * the esbuild bundles have the shape a sandboxed app needs: the preload requires nothing but
 * 'electron', the main bundle requires no files of ours (only packages and built-ins).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');

test('electron/main.ts and electron/preload.ts type-check (strict)', () => {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const program = ts.createProgram([join(root, 'electron/main.ts'), join(root, 'electron/preload.ts')], parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  assert.deepEqual(diagnostics, []);
});

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
