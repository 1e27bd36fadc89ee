/**
 * scripts/lib/rendererBuild.mjs: `npm test` and `npm start` skip the renderer build only when the
 * bundle's stamp matches the sources (renderer/, shared/, the lockfile) byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rendererBuildIsCurrent, stampRendererBuild } from '../../scripts/lib/rendererBuild.mjs';
import { makeTempDir } from '../helpers/tempDir';

test('the build is current only for the sources it was stamped with', () => {
  const tmp = makeTempDir('tritonscope-renderer-stamp-');
  try {
    const root = tmp.dir;
    mkdirSync(join(root, 'renderer/src'), { recursive: true });
    mkdirSync(join(root, 'shared'), { recursive: true });
    writeFileSync(join(root, 'renderer/src/App.tsx'), 'export const a = 1;\n');
    writeFileSync(join(root, 'shared/x.ts'), 'export const x = 1;\n');
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
    assert.equal(rendererBuildIsCurrent(root), false, 'nothing built yet');
    mkdirSync(join(root, 'dist/renderer'), { recursive: true });
    writeFileSync(join(root, 'dist/renderer/index.html'), '<!doctype html>');
    assert.equal(rendererBuildIsCurrent(root), false, 'built, but no stamp');
    stampRendererBuild(root);
    assert.equal(rendererBuildIsCurrent(root), true);
    for (const [file, text] of [
      ['renderer/src/App.tsx', 'export const a = 2;\n'],
      ['shared/x.ts', 'export const x = 2;\n'],
      ['package-lock.json', '{ "v": 2 }\n'],
      ['renderer/src/New.tsx', 'export {};\n'],
    ] as const) {
      writeFileSync(join(root, file), text);
      assert.equal(rendererBuildIsCurrent(root), false, `${file} changed`);
      stampRendererBuild(root);
      assert.equal(rendererBuildIsCurrent(root), true);
    }
    // Same bytes written again (a new mtime): still current.
    writeFileSync(join(root, 'shared/x.ts'), 'export const x = 2;\n');
    assert.equal(rendererBuildIsCurrent(root), true);
  } finally {
    tmp.cleanup();
  }
});
