/** A fresh directory under the OS temp dir for one test fixture, and the way to remove it again. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir {
  dir: string;
  cleanup(): void;
}

/** mkdtemp with `prefix`; `cleanup()` removes the whole tree (safe to call twice). */
export function makeTempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a file dated `secondsAgo` in the past (negative: in the future). Build caches keep nothing
 * read from a file saved after their build started: a fixture written just now must be dated back to
 * be cached, or forward to stand for a file saved during a build.
 */
export function writeDatedFile(file: string, text: string, secondsAgo = 60): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const then = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, then, then);
}
