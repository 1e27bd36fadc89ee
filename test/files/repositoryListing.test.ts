/**
 * The repository browser's listing (electron/services/repository.ts): what a model folder shows
 * (numeric version folders in numeric order, files with their sizes, nested files, config.pbtxt),
 * what it leaves out (dot-files, non-numeric folders, links out of the root), links inside the
 * root followed, and the entry limit cutting between models. The listing reads folders side by
 * side, so the order it returns is checked as well as the content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RepositoryBrowser } from '../../electron/services/repository';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tritonscope-listing-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

test('a model folder: versions in numeric order, nested files, sizes; dot-files, other folders and escaping links left out', async () => {
  const outside = tree({ 'secret.txt': 'outside the root' });
  const dir = tree({
    'lane/config.pbtxt': 'name: "lane"\n',
    'lane/labels.txt': 'a\nb\n',
    'lane/.config.pbtxt.swp': 'editor swap',
    'lane/10/model.onnx': '0123456789',
    'lane/2/model.onnx': '01',
    'lane/2/assets/vocab/words.txt': 'w',
    'lane/1/.hidden': 'x',
    'lane/notes/readme.md': 'not a version',
    'empty/.keep': '',
    'zz_files_only.txt': 'a file at the root is not a model',
  });
  try {
    mkdirSync(join(dir, 'lane', '1'), { recursive: true });
    symlinkSync(join(dir, 'lane'), join(dir, 'lane_link')); // a link inside the root: listed
    symlinkSync(outside, join(dir, 'escape')); // out of the root: not listed
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'lane', 'leak.txt'));
    const browser = new RepositoryBrowser({ emit: () => {}, allowOpenByPath: true });
    const { rootId } = await browser.openTrusted(dir);
    const listing = await browser.listModels(rootId);
    assert.equal(listing.truncated, false);
    assert.deepEqual(
      listing.models.map((m) => m.name),
      ['empty', 'lane', 'lane_link'],
    );
    const lane = listing.models[1];
    assert.deepEqual(lane, {
      name: 'lane',
      configPath: 'lane/config.pbtxt',
      files: [
        { path: 'lane/config.pbtxt', size: 13 },
        { path: 'lane/labels.txt', size: 4 },
      ],
      versions: [
        { version: '1', files: [] },
        {
          version: '2',
          files: [
            { path: 'lane/2/assets/vocab/words.txt', size: 1 },
            { path: 'lane/2/model.onnx', size: 2 },
          ],
        },
        { version: '10', files: [{ path: 'lane/10/model.onnx', size: 10 }] },
      ],
    });
    const link = listing.models[2];
    assert.deepEqual(
      link.versions.map((v) => v.version),
      ['1', '2', '10'],
    );
    assert.equal(link.configPath, 'lane_link/config.pbtxt');
    assert.deepEqual(listing.models[0], { name: 'empty', configPath: null, files: [], versions: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('the entry limit cuts between models, in name order, and says so', async () => {
  // Each model has 3 entries below it: config.pbtxt, the folder 1, and 1/model.onnx.
  const files: Record<string, string> = {};
  for (let i = 0; i < 70; i++) {
    const name = `m${String(i).padStart(2, '0')}`;
    files[`${name}/config.pbtxt`] = `name: "${name}"\n`;
    files[`${name}/1/model.onnx`] = 'x';
  }
  const dir = tree(files);
  try {
    for (const [limit, shown] of [
      [210, 70],
      [209, 69],
      [100, 33],
      [2, 0],
    ] as const) {
      const browser = new RepositoryBrowser({ emit: () => {}, allowOpenByPath: true, maxListEntries: limit });
      const { rootId } = await browser.openTrusted(dir);
      const listing = await browser.listModels(rootId);
      assert.equal(listing.models.length, shown, `limit ${limit}`);
      assert.equal(listing.truncated, shown < 70, `limit ${limit}`);
      assert.deepEqual(
        listing.models.map((m) => m.name),
        Array.from({ length: shown }, (_, i) => `m${String(i).padStart(2, '0')}`),
      );
      for (const m of listing.models)
        assert.deepEqual(m.versions[0].files, [{ path: `${m.name}/1/model.onnx`, size: 1 }]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
