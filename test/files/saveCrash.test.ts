/**
 * Crash test for safe saves (issue 11): a child process saves version after version of one file and
 * is SIGKILLed at random moments. After every kill the target holds one complete version no older
 * than the last acknowledged one, every backup is a complete version, every acknowledged version is
 * on disk or in a backup, and the next save cleans up the dead process's temp files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_DIR, readForEdit, saveSafely } from '../../electron/files/safeSave';
import { makeTempDir } from '../helpers/tempDir';
import { versionOf, versionText } from './fixtures/versionText';
import { childScript } from '../helpers/childScript';

const CHILD = childScript(join(import.meta.dirname, 'fixtures', 'saveLoop.ts'));
const ROUNDS = 4;

/** Runs the saving child until a random moment after its first line, kills it, returns the acked versions. */
function saveUntilKilled(file: string, first: number, killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file, String(first)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`save child exited ${code}: ${err}`));
    });
  });
}

test('SIGKILL during saves: target always a complete old or new version, backups intact, nothing acked lost', async () => {
  const tmp = makeTempDir('tritonscope-crash-');
  try {
    const file = join(tmp.dir, 'notes.txt');
    writeFileSync(file, versionText(0));
    const everAcked: number[] = [];
    let next = 1;
    for (let round = 0; round < ROUNDS; round++) {
      const acked = await saveUntilKilled(file, next, 20 + Math.floor(Math.random() * 250));
      everAcked.push(...acked);
      const onDisk = versionOf(readFileSync(file, 'utf8'));
      assert.notEqual(onDisk, null, `round ${round}: the target is torn`);
      if (acked.length) assert.ok(onDisk! >= acked[acked.length - 1], `round ${round}: an acked save was undone`);
      // On a busy machine the kill can land before the first save made the backup folder.
      const backupDir = join(tmp.dir, BACKUP_DIR);
      const backups = existsSync(backupDir) ? readdirSync(backupDir).filter((n) => n.endsWith('.bak')) : [];
      const kept = new Set([onDisk]);
      for (const name of backups) {
        const v = versionOf(readFileSync(join(tmp.dir, BACKUP_DIR, name), 'utf8'));
        assert.notEqual(v, null, `round ${round}: backup ${name} is torn`);
        kept.add(v);
      }
      for (const v of everAcked) assert.ok(kept.has(v), `acked version ${v} is neither on disk nor in a backup`);
      next = onDisk! + 1;
    }
    // The killed children's temp files (ours by name, their pids dead) go with the next save.
    await saveSafely(file, versionText(next), { expectedHash: (await readForEdit(file)).hash, validate: () => [] });
    assert.deepEqual(readdirSync(tmp.dir).sort(), [BACKUP_DIR, 'notes.txt']);
    assert.deepEqual(
      readdirSync(join(tmp.dir, BACKUP_DIR)).filter((n) => !n.endsWith('.bak')),
      [],
      'no temp files left in the backup folder',
    );
  } finally {
    tmp.cleanup();
  }
});
