/**
 * Safe saving of a text file edited in the app (config.pbtxt first of all).
 *
 * readForEdit records what the editor started from (content hash, mtime, size). saveSafely then:
 * 1. refuses when the file on disk no longer has that hash (someone else changed it: the editor
 *    must reload or the user must force), SaveConflictError;
 * 2. refuses text whose validation reports errors (by default: config.pbtxt parse errors for
 *    `.pbtxt` files) unless `force`, SaveValidationError carrying the diagnostics;
 * 3. keeps a backup of the previous content in `<dir>/.tritonscope-backup/<name>.<timestamp>.bak`
 *    (one file per save, never overwritten; the folder sits next to the file so it stays on the
 *    same volume and inside the model repository the user already trusts us with);
 * 4. writes atomically: a temp file in the same directory, fsync, rename over the target (and a
 *    best-effort fsync of the directory), preserving the previous file's mode. A reader sees the
 *    old or the new content, never a half-written file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../../shared/diagnostic';
import { formatDiagnostic } from '../../shared/diagnostic';
import { parseModelConfig } from '../../shared/pbtxt';

export const BACKUP_DIR = '.tritonscope-backup';

export interface EditSnapshot {
  text: string;
  mtimeMs: number;
  size: number;
  /** sha256 of the file's bytes, hex. */
  hash: string;
}

export interface SaveOptions {
  /** Hash from readForEdit; the save is refused if the file on disk differs. Omit only for new files. */
  expectedHash?: string;
  /** Save even if the file changed on disk or the text does not validate. */
  force?: boolean;
  /** Validation of the new text; defaults to the config.pbtxt parser for *.pbtxt files. */
  validate?: (text: string) => Diagnostic[];
}

export interface SaveResult {
  hash: string;
  mtimeMs: number;
  size: number;
  /** Where the previous content was copied, if there was a previous file. */
  backupPath?: string;
}

/** The file changed on disk since it was read for editing. */
export class SaveConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(
    readonly path: string,
    readonly expectedHash: string,
    readonly actualHash: string | undefined,
  ) {
    super(
      actualHash === undefined
        ? `${path} was deleted on disk since it was opened; reload it or save with force`
        : `${path} changed on disk since it was opened (hash mismatch); reload it or save with force`,
    );
    this.name = 'SaveConflictError';
  }
}

/** The text does not validate (e.g. config.pbtxt syntax errors). */
export class SaveValidationError extends Error {
  readonly code = 'INVALID';
  constructor(
    readonly path: string,
    readonly diagnostics: Diagnostic[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      `refusing to save ${path}: ${errors.length} error${errors.length === 1 ? '' : 's'}; first: ${formatDiagnostic(errors[0])} (save with force to override)`,
    );
    this.name = 'SaveValidationError';
  }
}

export function hashText(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function readForEdit(path: string): Promise<EditSnapshot> {
  const buf = await readFile(path);
  const st = await stat(path);
  return { text: buf.toString('utf8'), mtimeMs: st.mtimeMs, size: st.size, hash: hashText(buf) };
}

function defaultValidate(path: string): ((text: string) => Diagnostic[]) | undefined {
  if (!path.endsWith('.pbtxt')) return undefined;
  // Only syntax/schema errors block a save; semantic findings are the user's call.
  return (text) => parseModelConfig(text, { file: path, semantic: false }).diagnostics;
}

async function currentHash(path: string): Promise<string | undefined> {
  try {
    return hashText(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function timestamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.(\d+)Z$/, '-$1Z');
}

export async function saveSafely(path: string, text: string, options: SaveOptions = {}): Promise<SaveResult> {
  const { expectedHash, force = false } = options;
  const validate = options.validate ?? defaultValidate(path);
  if (validate && !force) {
    const diagnostics = validate(text);
    if (diagnostics.some((d) => d.severity === 'error')) throw new SaveValidationError(path, diagnostics);
  }

  const before = await currentHash(path);
  if (!force && expectedHash !== undefined && before !== expectedHash) {
    throw new SaveConflictError(path, expectedHash, before);
  }
  if (!force && expectedHash === undefined && before !== undefined) {
    // Overwriting an existing file without having read it is exactly the lost-update case.
    throw new SaveConflictError(path, '(none given)', before);
  }

  const dir = dirname(path);
  let mode: number | undefined;
  let backupPath: string | undefined;
  if (before !== undefined) {
    mode = (await stat(path)).mode & 0o7777;
    const backupDir = join(dir, BACKUP_DIR);
    await mkdir(backupDir, { recursive: true });
    backupPath = join(backupDir, `${basename(path)}.${timestamp()}.bak`);
    // COPYFILE_EXCL: two saves in the same millisecond must not overwrite each other's backup.
    for (let attempt = 0; ; attempt++) {
      try {
        await copyFile(path, backupPath, fsConstants.COPYFILE_EXCL);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 5) throw err;
        backupPath = join(backupDir, `${basename(path)}.${timestamp()}-${randomBytes(3).toString('hex')}.bak`);
      }
    }
  }

  const data = Buffer.from(text, 'utf8');
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode ?? 0o644);
  try {
    await fh.writeFile(data);
    if (mode !== undefined) await fh.chmod(mode);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  try {
    const dh = await open(dir, 'r');
    await dh.sync().catch(() => {});
    await dh.close();
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename is still atomic.
  }
  const st = await stat(path);
  return { hash: hashText(data), mtimeMs: st.mtimeMs, size: st.size, backupPath };
}
