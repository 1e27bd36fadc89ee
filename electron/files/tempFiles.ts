/**
 * Temp files of our own naming: `.<name>.<pid>.<12 hex>.tmp`, next to the file being saved (and
 * in the backup folder). A save killed mid-write leaves one behind; the next save of the same file
 * removes those whose writer is gone (its pid no longer exists) or that are over an hour old (a pid
 * may have been reused). Anything not matching the pattern exactly is never touched.
 */
import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const STALE_AFTER_MS = 3600_000;

export function tempNameFor(name: string): string {
  return `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes stale temp files for `name` in `dir`. The caller holds the path's queue (pathQueue), so
 * temp files of this very process are not in flight and count as stale too.
 */
export async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (!m) continue;
    const pid = Number(m[1]);
    const p = join(dir, entry);
    try {
      const st = await stat(p);
      if (!st.isFile()) continue;
      const stale = pid === process.pid || !processAlive(pid) || Date.now() - st.mtimeMs > STALE_AFTER_MS;
      if (stale) await unlink(p);
    } catch {
      // Gone already or not ours to remove: cleaning up is best effort.
    }
  }
}
