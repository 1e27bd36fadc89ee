/**
 * Packaging and shell hardening (issue 11): the Electron fuses electron-builder flips at packaging
 * time (`build.electronFuses`, see README "Security"), and shell.openExternal limited to the
 * documentation links the app shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDocumentationLink } from '../../electron/externalLinks';

const root = resolve(import.meta.dirname, '../..');

test('electron-builder sets the security fuses', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.build.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    grantFileProtocolExtraPrivileges: false,
  });
  // RunAsNode off breaks child_process.fork from main: the embedded server must use utilityProcess.
  const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
  assert.match(main, /utilityProcess\.fork\(/);
  assert.doesNotMatch(main, /child_process/);
});

test('shell.openExternal: documentation links only', () => {
  for (const ok of [
    'https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/user_guide/model_configuration.html',
    'https://github.com/triton-inference-server/server/blob/main/docs/protocol/README.md',
    'https://onnxruntime.ai/docs/',
    'https://github.com/lucastabelini/LaneATT',
  ]) {
    assert.equal(isDocumentationLink(ok), true, ok);
  }
  for (const bad of [
    'https://evil.example/',
    'http://docs.nvidia.com/deeplearning/triton-inference-server/',
    'https://docs.nvidia.com.evil.example/deeplearning/triton-inference-server/',
    'https://user:pw@docs.nvidia.com/deeplearning/triton-inference-server/',
    'https://docs.nvidia.com/other-product/',
    'https://github.com/lucastabelini/LaneATT-evil',
    'https://github.com/evil/triton-inference-server/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'ms-settings:',
    'not a url',
  ]) {
    assert.equal(isDocumentationLink(bad), false, bad);
  }
  const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
  const opens = [...main.matchAll(/shell\.openExternal\(/g)].length;
  assert.equal(opens, 1, 'one openExternal call site');
  assert.match(main, /if \(isDocumentationLink\(url\)\) void shell\.openExternal\(url\)/);
});
