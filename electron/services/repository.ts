/**
 * The repository folder browser: the folders the user opened (model repository roots), their
 * models/versions/files, and reading/validating/saving config files inside them. All file access
 * goes through ConfinedRoot (see ./confine), editing through electron/files/safeSave (hash-checked
 * writes with a backup), validation through shared/pbtxt.
 */
import { randomUUID } from 'node:crypto';
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
import { readForEdit, saveSafely, SaveConflictError, SaveValidationError, type SaveResult } from '../files/safeSave';
import { ConfinedRoot, isInside } from './confine';

/** Config files are small; anything bigger is not something to edit in a text editor. */
export const MAX_EDIT_BYTES = 4 * 1024 * 1024;
/** Stop listing after this many entries (a repository of weights, not a home directory). */
export const MAX_LIST_ENTRIES = 20_000;
const MAX_DEPTH = 6;
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

  /** Models (sub-folders) with their numeric version folders and files. */
  async listModels(rootId: string): Promise<RepositoryListing> {
    const { info, root } = this.get(rootId);
    const budget = { left: MAX_LIST_ENTRIES };
    const models: RepoModel[] = [];
    for (const entry of await safeReaddir(root.realRoot)) {
      const dir = await this.insideDir(root, join(root.realRoot, entry));
      if (!dir) continue;
      const model: RepoModel = { name: entry, configPath: null, versions: [], files: [] };
      for (const child of await safeReaddir(dir)) {
        if (budget.left-- <= 0) break;
        const p = join(dir, child);
        const sub = await this.insideDir(root, p);
        if (sub) {
          if (/^(0|[1-9]\d*)$/.test(child)) {
            model.versions.push({
              version: child,
              files: await this.walkFiles(root, sub, `${entry}/${child}`, 1, budget),
            });
          }
          continue;
        }
        const file = await this.insideFile(root, p);
        if (file) {
          model.files.push({ path: `${entry}/${child}`, size: file.size });
          if (child === 'config.pbtxt') model.configPath = `${entry}/config.pbtxt`;
        }
      }
      model.versions.sort((a, b) => Number(a.version) - Number(b.version));
      models.push(model);
      if (budget.left <= 0) break;
    }
    return { root: info, models, truncated: budget.left <= 0 };
  }

  private async walkFiles(root: ConfinedRoot, dir: string, relDir: string, depth: number, budget: { left: number }) {
    const out: { path: string; size: number }[] = [];
    if (depth > MAX_DEPTH) return out;
    for (const child of await safeReaddir(dir)) {
      if (budget.left-- <= 0) break;
      const p = join(dir, child);
      const sub = await this.insideDir(root, p);
      if (sub) out.push(...(await this.walkFiles(root, sub, `${relDir}/${child}`, depth + 1, budget)));
      else {
        const file = await this.insideFile(root, p);
        if (file) out.push({ path: `${relDir}/${child}`, size: file.size });
      }
    }
    return out;
  }

  /** Real path of `p` if it is a directory whose real location is inside the root (symlinks followed). */
  private async insideDir(root: ConfinedRoot, p: string): Promise<string | null> {
    try {
      const l = await lstat(p);
      if (!l.isDirectory() && !l.isSymbolicLink()) return null;
      const real = l.isSymbolicLink() ? await realpath(p) : p;
      if (!isInside(root.realRoot, real)) return null; // escaping symlinks are not listed
      return (await stat(real)).isDirectory() ? real : null;
    } catch {
      return null;
    }
  }

  private async insideFile(root: ConfinedRoot, p: string): Promise<{ size: number } | null> {
    try {
      const l = await lstat(p);
      if (l.isFile()) return { size: l.size };
      if (!l.isSymbolicLink()) return null;
      const real = await realpath(p);
      if (!isInside(root.realRoot, real)) return null;
      const s = await stat(real);
      return s.isFile() ? { size: s.size } : null;
    } catch {
      return null;
    }
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
    const r = await readForEdit(real);
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
    const real = await root.resolveForWrite(rel);
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

/** Directory entries without dot-files (our temp files and backups, editors' swap files, .git). */
async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
  } catch {
    return [];
  }
}

/** safeSave's errors in the contract's terms, naming the file relative to the opened folder. */
function mapSaveError(err: unknown, real: string, rel: string): unknown {
  const msg = (e: Error) => e.message.split(real).join(rel);
  if (err instanceof SaveConflictError) return new ApiError('CONFLICT', msg(err));
  if (err instanceof SaveValidationError) {
    return new ApiError(
      'INVALID_ARGUMENT',
      msg(err),
      err.diagnostics.map((d) => ({ ...d, file: rel })),
    );
  }
  return err;
}
