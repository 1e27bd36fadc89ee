/**
 * Saves racing each other (issue 11): 12 saves sent at once with the same expected hash through the
 * service every transport uses must give exactly one success and eleven CONFLICTs naming the file,
 * and no acknowledged text may be lost. Also: stale temp files of our own naming are cleaned up,
 * and the repository browser lists neither them nor other dot-files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeError } from '../../shared/contract';
import { BACKUP_DIR, readForEdit, saveSafely, SaveConflictError } from '../../electron/files/safeSave';
import { RepositoryBrowser } from '../../electron/services/repository';
import { makeTempDir } from '../helpers/tempDir';

function repoWithConfig() {
  const tmp = makeTempDir('tritonscope-race-');
  mkdirSync(join(tmp.dir, 'lane', '1'), { recursive: true });
  writeFileSync(join(tmp.dir, 'lane', 'config.pbtxt'), 'name: "lane"\n');
  return tmp;
}

function backupsOf(dir: string): string[] {
  try {
    return readdirSync(join(dir, BACKUP_DIR)).map((n) => readFileSync(join(dir, BACKUP_DIR, n), 'utf8'));
  } catch {
    return [];
  }
}

test('12 parallel service saves with the same expected hash: 1 success, 11 CONFLICTs naming the file', async () => {
  const tmp = repoWithConfig();
  try {
    const browser = new RepositoryBrowser({ emit: () => {}, allowOpenByPath: true });
    const { rootId } = await browser.openTrusted(tmp.dir);
    const start = await browser.readFile(rootId, 'lane/config.pbtxt');
    const texts = Array.from({ length: 12 }, (_, i) => `name: "lane"\nmax_batch_size: ${i + 1}\n`);
    const results = await Promise.allSettled(
      texts.map((text) => browser.saveFile(rootId, 'lane/config.pbtxt', text, start.hash)),
    );
    const ok = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, value: r.value }] : []));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [serializeError(r.reason)] : []));
    assert.equal(ok.length, 1, `expected exactly one acknowledged save, got ${ok.length}`);
    assert.equal(failed.length, 11);
    for (const e of failed) {
      assert.equal(e.code, 'CONFLICT');
      assert.match(e.message, /lane\/config\.pbtxt/);
    }
    // The acknowledged text is what is on disk, with the hash the service returned.
    const disk = readFileSync(join(tmp.dir, 'lane', 'config.pbtxt'), 'utf8');
    assert.equal(disk, texts[ok[0].i]);
    assert.equal(ok[0].value.hash, (await readForEdit(join(tmp.dir, 'lane', 'config.pbtxt'))).hash);
    assert.deepEqual(backupsOf(join(tmp.dir, 'lane')), ['name: "lane"\n']);
  } finally {
    tmp.cleanup();
  }
});

test('chained parallel saves (each from the previous ack) and forced saves: every acknowledged text survives', async () => {
  const tmp = repoWithConfig();
  try {
    const file = join(tmp.dir, 'lane', 'config.pbtxt');
    const acked: string[] = [];
    // Forced saves skip the hash check, so each one must still leave its predecessor in a backup.
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const text = `name: "lane"\nmax_batch_size: ${i + 1}\n`;
        await saveSafely(file, text, { force: true });
        acked.push(text);
      }),
    );
    const onDisk = readFileSync(file, 'utf8');
    const kept = new Set([onDisk, ...backupsOf(join(tmp.dir, 'lane'))]);
    for (const text of acked) assert.ok(kept.has(text), `acknowledged text lost: ${JSON.stringify(text)}`);
    assert.ok(kept.has('name: "lane"\n'), 'the original text is in a backup');
  } finally {
    tmp.cleanup();
  }
});

test('a conflict from saveSafely names the file and the on-disk hash', async () => {
  const tmp = repoWithConfig();
  try {
    const file = join(tmp.dir, 'lane', 'config.pbtxt');
    const { hash } = await readForEdit(file);
    const both = await Promise.allSettled([
      saveSafely(file, 'name: "a"\n', { expectedHash: hash }),
      saveSafely(file, 'name: "b"\n', { expectedHash: hash }),
    ]);
    const rejected = both.filter((r) => r.status === 'rejected');
    assert.equal(rejected.length, 1);
    const err = rejected[0].reason;
    assert.ok(err instanceof SaveConflictError);
    assert.ok(err.message.includes(file));
  } finally {
    tmp.cleanup();
  }
});

test('stale temp files of our naming are removed by the next save; the browser lists no dot-files', async () => {
  const tmp = repoWithConfig();
  try {
    const dir = join(tmp.dir, 'lane');
    // A save killed mid-write leaves `.config.pbtxt.<pid>.<random>.tmp`; pid 2^22+1 is above pid_max.
    const stale = join(dir, '.config.pbtxt.4194305.0123456789ab.tmp');
    writeFileSync(stale, 'half a');
    const old = new Date(Date.now() - 2 * 3600_000);
    const staleOld = join(dir, `.config.pbtxt.${process.pid}.ba9876543210.tmp`);
    writeFileSync(staleOld, 'half b');
    utimesSync(staleOld, old, old);
    const foreign = join(dir, '.config.pbtxt.swp'); // not ours: must stay
    writeFileSync(foreign, 'editor swap');
    writeFileSync(join(dir, '1', '.hidden'), 'x');

    const browser = new RepositoryBrowser({ emit: () => {}, allowOpenByPath: true });
    const { rootId } = await browser.openTrusted(tmp.dir);
    const listed = JSON.stringify(await browser.listModels(rootId));
    assert.doesNotMatch(listed, /\.tmp|\.hidden|\.config|\.tritonscope-backup/);

    const start = await browser.readFile(rootId, 'lane/config.pbtxt');
    await browser.saveFile(rootId, 'lane/config.pbtxt', 'name: "lane"\nmax_batch_size: 2\n', start.hash);
    const left = readdirSync(dir).sort();
    assert.deepEqual(left, ['.config.pbtxt.swp', BACKUP_DIR, '1', 'config.pbtxt']);
  } finally {
    tmp.cleanup();
  }
});
