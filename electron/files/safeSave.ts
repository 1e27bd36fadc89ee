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
 * 4. writes atomically: a temp file in the same directory, fsync, a second hash check right before
 *    the rename over the target (and a best-effort fsync of the directory), preserving the previous
 *    file's mode. A reader sees the old or the new content, never a half-written file.
 * Saves of one path are serialised (./pathQueue), backups are written atomically too, and temp
 * files left by a killed save are removed by the next save of that file (./tempFiles).
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../../shared/diagnostic';
import { formatDiagnostic } from '../../shared/diagnostic';
import { parseModelConfig } from '../../shared/pbtxt';
import { runExclusive } from './pathQueue';
import { removeStaleTemps, tempNameFor } from './tempFiles';

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

/**
 * The file is not UTF-8. It is not opened for editing: the editor holds text, and saving would
 * write every byte that is not UTF-8 back as U+FFFD (a Latin-1 'é' in a comment, say), silently.
 */
export class NotUtf8Error extends Error {
  readonly code = 'NOT_UTF8';
  constructor(
    readonly path: string,
    readonly line: number,
    readonly column: number,
    byte: number,
  ) {
    super(
      `${path}:${line}:${column}: not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); only UTF-8 text is edited, so it is left as it is`,
    );
    this.name = 'NotUtf8Error';
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** `buf` as text, or NotUtf8Error naming the line and column (1-based, in bytes) of the first bad byte. */
export function decodeUtf8Strict(buf: Uint8Array, path: string): string {
  try {
    return strictUtf8.decode(buf);
  } catch {
    // The lenient decoding re-encodes to the same bytes up to the first invalid sequence.
    const again = Buffer.from(Buffer.from(buf).toString('utf8'), 'utf8');
    let at = 0;
    while (at < buf.length && buf[at] === again[at]) at++;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (buf[i] !== 0x0a) continue;
      line++;
      lineStart = i + 1;
    }
    throw new NotUtf8Error(path, line, at - lineStart + 1, buf[at] ?? 0);
  }
}

export async function readForEdit(path: string): Promise<EditSnapshot> {
  const buf = await readFile(path);
  const st = await stat(path);
  return { text: decodeUtf8Strict(buf, path), mtimeMs: st.mtimeMs, size: st.size, hash: hashText(buf) };
}

function defaultValidate(path: string): ((text: string) => Diagnostic[]) | undefined {
  if (!path.endsWith('.pbtxt')) return undefined;
  // Only syntax/schema errors block a save; semantic findings are the user's call.
  return (text) => parseModelConfig(text, { file: path, semantic: false }).diagnostics;
}

function timestamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.(\d+)Z$/, '-$1Z');
}

export async function saveSafely(path: string, text: string, options: SaveOptions = {}): Promise<SaveResult> {
  const validate = options.validate ?? defaultValidate(path);
  if (validate && !options.force) {
    const diagnostics = validate(text);
    if (diagnostics.some((d) => d.severity === 'error')) throw new SaveValidationError(path, diagnostics);
  }
  // A symbolic link is saved through, as editors do: the file it points to is replaced (beside
  // itself, with its backup there) and the link stays a link. Renaming over the link's own path
  // would turn it into a copy and leave its target unchanged.
  const target = await linkTarget(path);
  // One save of a given file at a time in this process: the hash check and the rename of one save
  // must not interleave with another's (12 parallel saves from one hash: 1 success, 11 conflicts).
  return runExclusive(target, () => saveExclusive(target, Buffer.from(text, 'utf8'), options));
}

/**
 * The real path of `path` when it is (or goes through) a symbolic link; `path` when it does not
 * exist. A link to a file that does not exist is refused: following it could create a file
 * anywhere (outside the folder a caller confined the path to), and renaming over it would turn
 * the link into a file.
 */
async function linkTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const isLink = await lstat(path).then(
    (st) => st.isSymbolicLink(),
    () => false,
  );
  if (isLink) throw new Error(`refusing to save: ${path} is a symbolic link to a file that does not exist`);
  return path;
}

async function readCurrent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function saveExclusive(path: string, data: Buffer, options: SaveOptions): Promise<SaveResult> {
  const { expectedHash, force = false } = options;
  const dir = dirname(path);
  const name = basename(path);
  const backupDir = join(dir, BACKUP_DIR);
  await refuseForeignBackupDir(backupDir);
  await removeStaleTemps(dir, name);
  await removeStaleTemps(backupDir, name);

  let previous = await readCurrent(path);
  let before = previous && hashText(previous);
  if (!force && expectedHash !== undefined && before !== expectedHash) {
    throw new SaveConflictError(path, expectedHash, before);
  }
  if (!force && expectedHash === undefined && before !== undefined) {
    // Overwriting an existing file without having read it is exactly the lost-update case.
    throw new SaveConflictError(path, '(none given)', before);
  }

  const mode = previous ? (await stat(path)).mode & 0o7777 : undefined;
  let backupPath = previous ? await writeBackup(backupDir, name, previous, mode ?? 0o644) : undefined;
  const tmp = join(dir, tempNameFor(name));
  await writeDurably(tmp, data, mode ?? 0o644);
  try {
    // Another process (an editor, a second app instance) may have written since we read: check
    // again right before the rename. A forced save keeps that writer's text in a backup as well.
    for (let attempt = 0; ; attempt++) {
      const now = await readCurrent(path);
      const nowHash = now && hashText(now);
      if (nowHash === before) break;
      if (!force || attempt >= 3) throw new SaveConflictError(path, before ?? '(no file)', nowHash);
      previous = now;
      before = nowHash;
      if (now) backupPath = await writeBackup(backupDir, name, now, mode ?? 0o644);
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await syncDir(dir);
  const st = await stat(path);
  return { hash: hashText(data), mtimeMs: st.mtimeMs, size: st.size, backupPath };
}

/** The backup folder is a symbolic link or not a folder: backups are not written through it. */
export class BackupDirError extends Error {
  readonly code = 'BACKUP_DIR';
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(
      `refusing to save: the backup folder ${path} is ${what}; backups are only written to a real folder beside the file`,
    );
    this.name = 'BackupDirError';
  }
}

/**
 * A model repository comes from elsewhere (a clone, an archive), and git keeps symbolic links: a
 * `.tritonscope-backup` that links to another folder (a shell's `~/.bashrc.d`, say) would make every
 * save copy the previous text, with its mode, there. So the folder must be a real folder (or absent:
 * the first backup creates it), checked before anything is written or cleaned up in it.
 */
async function refuseForeignBackupDir(backupDir: string): Promise<void> {
  let st;
  try {
    st = await lstat(backupDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (st.isSymbolicLink()) throw new BackupDirError(backupDir, 'a symbolic link');
  if (!st.isDirectory()) throw new BackupDirError(backupDir, 'not a folder');
}

/** Writes `data` to a new file and fsyncs it; the file is removed again if anything fails. */
async function writeDurably(path: string, data: Uint8Array, mode: number): Promise<void> {
  const fh = await open(path, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw err;
  }
}

/**
 * Copies the previous content into the backup folder under a fresh name. Written to a temp file
 * first and linked into place, so a crash never leaves a torn backup and a name is never reused
 * (link fails with EEXIST where a rename would overwrite).
 */
async function writeBackup(backupDir: string, name: string, content: Buffer, mode: number): Promise<string> {
  await mkdir(backupDir, { recursive: true });
  // Again after mkdir: it accepts an existing link to a folder (one made since the first check).
  await refuseForeignBackupDir(backupDir);
  const tmp = join(backupDir, tempNameFor(name));
  await writeDurably(tmp, content, mode);
  try {
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${randomBytes(3).toString('hex')}`;
      const backupPath = join(backupDir, `${name}.${timestamp()}${suffix}.bak`);
      try {
        await link(tmp, backupPath);
        await syncDir(backupDir);
        return backupPath;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 5) throw err;
      }
    }
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    await dh.sync().catch(() => {});
    await dh.close();
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename is still atomic.
  }
}
