/**
 * The repository folder browser: the folders the user opened (model repository roots), their
 * models/versions/files, and reading/validating/saving config files inside them. All file access
 * goes through ConfinedRoot (see ./confine), editing through electron/files/safeSave (hash-checked
 * writes with a backup), validation through shared/pbtxt.
 */
import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ApiError,
  type ApiEmit,
  type FileForEdit,
  type RepoModel,
  type RepositoryListing,
  type RepositoryRoot,
} from '../../shared/contract';
import { parseModelConfig, toProtoJson } from '../../shared/pbtxt';
import {
  BackupDirError,
  NotUtf8Error,
  readForEdit,
  saveSafely,
  SaveConflictError,
  SaveValidationError,
  type SaveResult,
} from '../files/safeSave';
import { ConfinedRoot, isInside } from './confine';

/** Config files are small; anything bigger is not something to edit in a text editor. */
export const MAX_EDIT_BYTES = 4 * 1024 * 1024;
/** Stop listing after this many entries (a repository of weights, not a home directory). */
export const MAX_LIST_ENTRIES = 20_000;
const MAX_DEPTH = 6;
/** Model folders read side by side when listing a repository. */
const LIST_BATCH = 32;
/** Only text configuration files may be written. */
const EDITABLE = /\.(pbtxt|txt|json|ya?ml|md)$/i;

interface OpenRoot {
  info: RepositoryRoot;
  root: ConfinedRoot;
}

export interface RepositoryBrowserOptions {
  emit: ApiEmit;
  /** Browser mode: the token-authenticated user may type any folder path. Electron: dialog only. */
  allowOpenByPath: boolean;
  /** Native folder picker (Electron main); null when cancelled. */
  pickFolder?: () => Promise<string | null>;
  /** Entries listed below the models before the listing is cut (default MAX_LIST_ENTRIES). */
  maxListEntries?: number;
}

export class RepositoryBrowser {
  private readonly roots = new Map<string, OpenRoot>();

  constructor(private readonly opts: RepositoryBrowserOptions) {}

  list(): RepositoryRoot[] {
    return [...this.roots.values()].map((r) => r.info);
  }

  private changed(): void {
    this.opts.emit('repositoriesChanged', { roots: this.list() });
  }

  /** Renderer request: by typed path (when allowed) or through the native picker. */
  async openRequested(path?: string): Promise<RepositoryRoot | null> {
    if (path === undefined) {
      if (!this.opts.pickFolder) {
        throw new ApiError(
          'INVALID_ARGUMENT',
          'no native folder picker here (browser mode): give the absolute path of the model repository folder',
        );
      }
      const picked = await this.opts.pickFolder();
      return picked === null ? null : this.openTrusted(picked);
    }
    if (!this.opts.allowOpenByPath) {
      throw new ApiError('FORBIDDEN', 'folders can only be opened through the File > Open Repository dialog');
    }
    return this.openTrusted(path);
  }

  /** Opens a folder chosen by the user (dialog, command line) or by the app (demo repository). */
  async openTrusted(path: string, extra: { builtin?: boolean } = {}): Promise<RepositoryRoot> {
    const root = await ConfinedRoot.open(path);
    for (const r of this.roots.values()) {
      if (r.root.realRoot === root.realRoot) return r.info;
    }
    const info: RepositoryRoot = {
      rootId: randomUUID(),
      path: root.realRoot,
      name: root.name,
      ...(extra.builtin ? { builtin: true } : {}),
    };
    this.roots.set(info.rootId, { info, root });
    this.changed();
    return info;
  }

  close(rootId: string): void {
    this.get(rootId);
    this.roots.delete(rootId);
    this.changed();
  }

  private get(rootId: string): OpenRoot {
    const r = this.roots.get(rootId);
    if (!r)
      throw new ApiError(
        'NOT_FOUND',
        `no open repository folder with id '${rootId}' (it was closed or the app restarted)`,
      );
    return r;
  }

  /**
   * Models (sub-folders) with their numeric version folders and files. A deployment may hold a
   * thousand models: the folders are read a batch at a time, side by side, and an entry costs a
   * system call only where readdir's type is not enough (a file's size, a symlink's target). One after
   * another, a thousand-model repository took 0.6-0.8 s of CPU, and on a loaded machine the tree once
   * took over 15 s to appear.
   * At most `maxListEntries` entries below the models: a model that would go over is left out and the
   * listing says it was cut.
   */
  async listModels(rootId: string): Promise<RepositoryListing> {
    const { info, root } = this.get(rootId);
    const entries = await safeReaddir(root.realRoot);
    const models: RepoModel[] = [];
    let left = this.opts.maxListEntries ?? MAX_LIST_ENTRIES;
    for (let i = 0; i < entries.length; i += LIST_BATCH) {
      const batch = await Promise.all(
        entries.slice(i, i + LIST_BATCH).map(async (entry) => {
          const kind = await classify(root, root.realRoot, entry);
          return kind?.dir ? this.listModel(root, entry.name, kind.dir, left) : null;
        }),
      );
      for (const listed of batch) {
        if (!listed) continue;
        if (listed.entries > left) return { root: info, models, truncated: true };
        left -= listed.entries;
        models.push(listed.model);
      }
    }
    return { root: info, models, truncated: false };
  }

  /** One model folder; `entries` counts what is below it (over `cap` when it stopped early). */
  private async listModel(root: ConfinedRoot, name: string, dir: string, cap: number) {
    const budget = { left: cap };
    const model: RepoModel = { name, configPath: null, versions: [], files: [] };
    const children = await safeReaddir(dir);
    budget.left -= children.length;
    if (budget.left < 0) return { model, entries: cap - budget.left };
    const kinds = await Promise.all(children.map((child) => classify(root, dir, child)));
    const versions = await Promise.all(
      children.map(async (child, i) => {
        const kind = kinds[i];
        if (!kind?.dir || !/^(0|[1-9]\d*)$/.test(child.name)) return null;
        return { version: child.name, files: await this.walkFiles(root, kind.dir, `${name}/${child.name}`, 1, budget) };
      }),
    );
    children.forEach((child, i) => {
      const kind = kinds[i];
      if (kind?.file === undefined) return;
      model.files.push({ path: `${name}/${child.name}`, size: kind.file });
      if (child.name === 'config.pbtxt') model.configPath = `${name}/config.pbtxt`;
    });
    model.versions = versions.filter((v) => v !== null).sort((a, b) => Number(a.version) - Number(b.version));
    return { model, entries: cap - budget.left };
  }

  private async walkFiles(
    root: ConfinedRoot,
    dir: string,
    relDir: string,
    depth: number,
    budget: { left: number },
  ): Promise<{ path: string; size: number }[]> {
    if (depth > MAX_DEPTH || budget.left < 0) return [];
    const children = await safeReaddir(dir);
    budget.left -= children.length;
    if (budget.left < 0) return [];
    const listed = await Promise.all(
      children.map(async (child) => {
        const kind = await classify(root, dir, child);
        const rel = `${relDir}/${child.name}`;
        if (kind?.dir) return this.walkFiles(root, kind.dir, rel, depth + 1, budget);
        return kind?.file === undefined ? [] : [{ path: rel, size: kind.file }];
      }),
    );
    return listed.flat();
  }

  async readFile(rootId: string, rel: string): Promise<FileForEdit> {
    const { root } = this.get(rootId);
    const real = await root.resolveExisting(rel);
    const s = await stat(real);
    if (!s.isFile()) throw new ApiError('INVALID_ARGUMENT', `${rel} is not a file`);
    if (s.size > MAX_EDIT_BYTES)
      throw new ApiError(
        'TOO_LARGE',
        `${rel} is ${s.size} bytes; files over ${MAX_EDIT_BYTES} bytes are not opened for editing`,
      );
    let r;
    try {
      r = await readForEdit(real);
    } catch (err) {
      throw mapSaveError(err, real, rel);
    }
    return { path: root.toRelative(real), text: r.text, hash: r.hash, mtimeMs: r.mtimeMs, size: s.size };
  }

  async saveFile(rootId: string, rel: string, text: string, expectedHash: string, force?: boolean) {
    const { root } = this.get(rootId);
    if (!EDITABLE.test(rel)) {
      throw new ApiError(
        'FORBIDDEN',
        `${rel}: only text configuration files (.pbtxt, .txt, .json, .yaml, .md) can be saved`,
      );
    }
    if (Buffer.byteLength(text) > MAX_EDIT_BYTES)
      throw new ApiError('TOO_LARGE', `refusing to save more than ${MAX_EDIT_BYTES} bytes`);
    refuseHidden(rel);
    const real = await root.resolveForWrite(rel);
    refuseHidden(root.toRelative(real));
    // The name asked for passed, but a link inside the folder may lead to another file of it
    // (`notes.md` -> `1/model.onnx`): what is written must be a text configuration file too.
    if (!EDITABLE.test(real)) {
      throw new ApiError(
        'FORBIDDEN',
        `${rel} leads to ${root.toRelative(real)}: only text configuration files (.pbtxt, .txt, .json, .yaml, .md) can be saved`,
      );
    }
    let result: SaveResult;
    try {
      // '' = creating a new file (there is nothing to have read before)
      result = await saveSafely(real, text, { expectedHash: expectedHash || undefined, force });
    } catch (err) {
      throw mapSaveError(err, real, root.toRelative(real));
    }
    // The hash of what this save wrote (re-reading could see a later save's text).
    const backup = result.backupPath;
    return {
      path: root.toRelative(real),
      hash: result.hash,
      mtimeMs: result.mtimeMs,
      backupPath: backup && isInside(root.realRoot, backup) ? root.toRelative(backup) : (backup ?? null),
    };
  }

  validate(text: string, file?: string) {
    const r = parseModelConfig(text, { file });
    let json: Record<string, unknown> | null = null;
    if (r.config) {
      try {
        json = toProtoJson(r.config);
      } catch {
        json = null;
      }
    }
    return { diagnostics: r.diagnostics, json };
  }
}

/**
 * The entries of a folder by name, without dot-files (our temp files and backups, editors' swap
 * files, .git); [] when it cannot be read.
 */
async function safeReaddir(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((d) => !d.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/**
 * A folder entry as the listing shows it: a directory (its real path) or a file (its size); null for
 * anything else, and for a symlink whose target is outside the root (escaping links are not listed).
 */
async function classify(
  root: ConfinedRoot,
  dir: string,
  entry: Dirent,
): Promise<{ dir?: string; file?: number } | null> {
  const p = join(dir, entry.name);
  try {
    if (entry.isDirectory()) return { dir: p };
    if (entry.isFile()) return { file: (await lstat(p)).size };
    if (!entry.isSymbolicLink()) return null;
    const real = await realpath(p);
    if (!isInside(root.realRoot, real)) return null;
    const s = await stat(real);
    return s.isDirectory() ? { dir: real } : s.isFile() ? { file: s.size } : null;
  } catch {
    return null;
  }
}

/**
 * Hidden files and folders are not a model's configuration, and some are run by other tools
 * (`.github/workflows/*.yml`, `.vscode/tasks.json`); our own backups live in one. Not written.
 */
function refuseHidden(rel: string): void {
  if (rel.split(/[\\/]/).some((seg) => seg.startsWith('.') && seg !== '.'))
    throw new ApiError('FORBIDDEN', `${rel}: hidden files and folders (a name starting with '.') are not saved`);
}

/**
 * safeSave's errors (reading for edit or saving) in the contract's terms, naming the file relative
 * to the opened folder.
 */
function mapSaveError(err: unknown, real: string, rel: string): unknown {
  const msg = (e: Error) => e.message.split(real).join(rel);
  if (err instanceof SaveConflictError) return new ApiError('CONFLICT', msg(err));
  if (err instanceof NotUtf8Error) return new ApiError('INVALID_ARGUMENT', msg(err));
  if (err instanceof BackupDirError) return new ApiError('FORBIDDEN', err.message);
  if (err instanceof SaveValidationError) {
    return new ApiError(
      'INVALID_ARGUMENT',
      msg(err),
      err.diagnostics.map((d) => ({ ...d, file: rel })),
    );
  }
  return err;
}
