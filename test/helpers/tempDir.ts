/** A fresh directory under the OS temp dir for one test fixture, and the way to remove it again. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  dir: string;
  cleanup(): void;
}

/** mkdtemp with `prefix`; `cleanup()` removes the whole tree (safe to call twice). */
export function makeTempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
