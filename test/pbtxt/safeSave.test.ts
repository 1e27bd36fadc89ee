/** safeSave on real files in a temp directory: conflicts, validation, backups, atomicity, mode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKUP_DIR,
  BackupDirError,
  NotUtf8Error,
  SaveConflictError,
  SaveValidationError,
  readForEdit,
  saveSafely,
} from '../../electron/files/safeSave';

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'tritonscope-safesave-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('save after read: new content written, previous kept as a backup, mode preserved', () =>
  withDir(async (dir) => {
    const file = join(dir, 'config.pbtxt');
    await writeFile(file, 'name: "a"\n');
    await chmod(file, 0o640);
    const snap = await readForEdit(file);
    assert.equal(snap.text, 'name: "a"\n');
    assert.equal(snap.size, 10);
    assert.match(snap.hash, /^[0-9a-f]{64}$/);
    const r = await saveSafely(file, 'name: "b"\n', { expectedHash: snap.hash });
    assert.equal(await readFile(file, 'utf8'), 'name: "b"\n');
    assert.equal((await stat(file)).mode & 0o777, 0o640);
    assert.ok(r.backupPath?.startsWith(join(dir, BACKUP_DIR)));
    assert.equal(await readFile(r.backupPath!, 'utf8'), 'name: "a"\n');
    assert.equal(r.hash, (await readForEdit(file)).hash);
    // No temp files left behind.
    assert.deepEqual((await readdir(dir)).sort(), [BACKUP_DIR, 'config.pbtxt']);
    // A second save keeps a second, distinct backup.
    const r2 = await saveSafely(file, 'name: "c"\n', { expectedHash: r.hash });
    assert.notEqual(r2.backupPath, r.backupPath);
    assert.equal(await readFile(r2.backupPath!, 'utf8'), 'name: "b"\n');
    assert.equal((await readdir(join(dir, BACKUP_DIR))).length, 2);
  }));

test('a config that is a symbolic link is saved through it: the target changes, the link stays a link', () =>
  withDir(async (dir) => {
    await mkdir(join(dir, 'real'));
    await mkdir(join(dir, 'linkdir'));
    const real = join(dir, 'real', 'config.pbtxt');
    const linked = join(dir, 'linkdir', 'config.pbtxt');
    await writeFile(real, 'name: "a"\n');
    await symlink('../real/config.pbtxt', linked);
    const snap = await readForEdit(linked);
    const r = await saveSafely(linked, 'name: "b"\n', { expectedHash: snap.hash });
    assert.ok((await lstat(linked)).isSymbolicLink(), 'still a link');
    assert.equal(await readFile(real, 'utf8'), 'name: "b"\n', 'the target has the new text');
    assert.ok(r.backupPath?.startsWith(join(dir, 'real', BACKUP_DIR)), 'the backup is beside the real file');
    assert.deepEqual(await readdir(join(dir, 'linkdir')), ['config.pbtxt']);
    // A link to a file that does not exist is refused: neither followed (it could lead anywhere)
    // nor replaced by a file.
    const dangling = join(dir, 'linkdir', 'new.pbtxt');
    await symlink('../elsewhere/new.pbtxt', dangling);
    await assert.rejects(saveSafely(dangling, 'name: "n"\n'), /symbolic link to a file that does not exist/);
    assert.ok((await lstat(dangling)).isSymbolicLink(), 'the dangling link is still a link');
    assert.deepEqual((await readdir(join(dir, 'linkdir'))).sort(), ['config.pbtxt', 'new.pbtxt']);
  }));

test('a backup folder that links elsewhere (a repository from a clone) is refused: nothing written there or to the file', () =>
  withDir(async (dir) => {
    const model = join(dir, 'model');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(model);
    await mkdir(elsewhere);
    const file = join(model, 'config.pbtxt');
    await writeFile(file, 'name: "a"\n');
    await chmod(file, 0o755);
    await symlink(elsewhere, join(model, BACKUP_DIR));
    const snap = await readForEdit(file);
    await assert.rejects(saveSafely(file, 'name: "b"\n', { expectedHash: snap.hash }), (e: unknown) => {
      assert.ok(e instanceof BackupDirError);
      assert.match(e.message, /backup folder .*\.tritonscope-backup is a symbolic link/);
      return true;
    });
    assert.deepEqual(await readdir(elsewhere), [], 'nothing written through the link');
    assert.equal(await readFile(file, 'utf8'), 'name: "a"\n', 'the file is unchanged');
    assert.deepEqual((await readdir(model)).sort(), [BACKUP_DIR, 'config.pbtxt'], 'no temp file left');
    // A file where the folder should be is refused too.
    await rm(join(model, BACKUP_DIR));
    await writeFile(join(model, BACKUP_DIR), '');
    await assert.rejects(saveSafely(file, 'name: "b"\n', { expectedHash: snap.hash }), /is not a folder/);
  }));

test('a file that is not UTF-8 is not opened for editing: the error names line and column of the first bad byte', () =>
  withDir(async (dir) => {
    const file = join(dir, 'labels.txt');
    await writeFile(file, Buffer.concat([Buffer.from('car\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await assert.rejects(readForEdit(file), (e: unknown) => {
      assert.ok(e instanceof NotUtf8Error);
      assert.equal(e.line, 2);
      assert.equal(e.column, 4);
      assert.match(e.message, /labels\.txt:2:4: not valid UTF-8 \(byte 0xe9\)/);
      return true;
    });
    // Valid multi-byte text, and a replacement character really in the file, are read as they are.
    await writeFile(file, 'café \uFFFD ✓\n');
    assert.equal((await readForEdit(file)).text, 'café \uFFFD ✓\n');
  }));

test('a concurrent change on disk is refused with a clear error, unless forced', () =>
  withDir(async (dir) => {
    const file = join(dir, 'config.pbtxt');
    await writeFile(file, 'name: "a"\n');
    const snap = await readForEdit(file);
    await writeFile(file, 'name: "someone else"\n');
    await assert.rejects(saveSafely(file, 'name: "mine"\n', { expectedHash: snap.hash }), (e: unknown) => {
      assert.ok(e instanceof SaveConflictError);
      assert.equal(e.code, 'CONFLICT');
      assert.match(e.message, /changed on disk since it was opened/);
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), 'name: "someone else"\n');
    await saveSafely(file, 'name: "mine"\n', { expectedHash: snap.hash, force: true });
    assert.equal(await readFile(file, 'utf8'), 'name: "mine"\n');
    // Overwriting an existing file without a hash is the same lost-update risk.
    await assert.rejects(saveSafely(file, 'name: "x"\n', {}), SaveConflictError);
    // Deleted on disk.
    const s2 = await readForEdit(file);
    await rm(file);
    await assert.rejects(saveSafely(file, 'name: "x"\n', { expectedHash: s2.hash }), /deleted on disk/);
  }));

test('text that does not parse is refused unless forced; custom validators are used', () =>
  withDir(async (dir) => {
    const file = join(dir, 'config.pbtxt');
    await writeFile(file, 'name: "a"\n');
    const snap = await readForEdit(file);
    await assert.rejects(saveSafely(file, 'name: "a\n', { expectedHash: snap.hash }), (e: unknown) => {
      assert.ok(e instanceof SaveValidationError);
      assert.match(e.message, /config\.pbtxt:1:7: error: Unterminated string/);
      assert.equal(e.diagnostics[0].code, 'unterminated-string');
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), 'name: "a"\n');
    await assert.rejects(saveSafely(file, 'nmae: "a"\n', { expectedHash: snap.hash }), /no field named "nmae"/);
    // Semantic findings do not block a save.
    await saveSafely(file, 'max_batch_size: -1\n', { expectedHash: snap.hash });
    const s2 = await readForEdit(file);
    await saveSafely(file, 'broken "', { expectedHash: s2.hash, force: true });
    assert.equal(await readFile(file, 'utf8'), 'broken "');
    const other = join(dir, 'notes.txt');
    await saveSafely(other, 'anything {', {});
    const s3 = await readForEdit(other);
    await assert.rejects(
      saveSafely(other, 'bad', {
        expectedHash: s3.hash,
        validate: () => [{ severity: 'error', code: 'x', message: 'nope', line: 1, column: 1 }],
      }),
      /nope/,
    );
  }));

test('atomic replacement: readers racing a save see the old or the new content, never a mix', () =>
  withDir(async (dir) => {
    const file = join(dir, 'config.pbtxt');
    const a = `name: "a"\n${'# padding\n'.repeat(20000)}`;
    const b = `name: "b"\n${'# other padding\n'.repeat(20000)}`;
    await writeFile(file, a);
    let hash = (await readForEdit(file)).hash;
    let stop = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!stop) {
        const t = await readFile(file, 'utf8');
        seen.add(t === a ? 'a' : t === b ? 'b' : 'torn');
      }
    })();
    for (let i = 0; i < 20; i++) {
      hash = (await saveSafely(file, i % 2 ? a : b, { expectedHash: hash })).hash;
    }
    stop = true;
    await reader;
    assert.ok(!seen.has('torn'), 'a reader saw a partially written file');
    assert.ok(seen.size >= 1);
  }));
