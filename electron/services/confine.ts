/**
 * File access confined to folders the user opened. Every path from the renderer is RELATIVE to an
 * opened root; we refuse absolute paths, `..` segments and NUL bytes outright (a clear error beats
 * silently normalising), then resolve symlinks with realpath and require the result to stay inside
 * the root's own real path, so a symlink inside the repository cannot lead outside it.
 * (Remaining window: a symlink swapped in between our check and the open. The renderer cannot
 * create symlinks, so this would need a local attacker who already has file access.)
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ApiError } from '../../shared/contract';

export function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return candidate.startsWith(prefix);
}

/** Splits a renderer-supplied relative path into safe segments or throws FORBIDDEN/INVALID_ARGUMENT. */
export function checkRelativePath(rel: string): string[] {
  if (rel.includes('\0')) throw new ApiError('INVALID_ARGUMENT', 'path contains a NUL byte');
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.startsWith('\\') || rel.startsWith('/')) {
    throw new ApiError('FORBIDDEN', `'${rel}' is absolute; paths must be relative to the opened repository folder`);
  }
  const segments = rel.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) {
    throw new ApiError('FORBIDDEN', `'${rel}' leaves the opened repository folder ('..' is not allowed)`);
  }
  if (segments.length === 0) throw new ApiError('INVALID_ARGUMENT', 'empty path');
  return segments;
}

export class ConfinedRoot {
  private constructor(readonly realRoot: string) {}

  /** Opens a folder: it must exist and be a directory; symlinks in its own path are resolved. */
  static async open(path: string): Promise<ConfinedRoot> {
    if (!isAbsolute(path)) throw new ApiError('INVALID_ARGUMENT', `'${path}' is not an absolute folder path`);
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      throw new ApiError(
        'NOT_FOUND',
        `cannot open folder ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`,
      );
    }
    if (!(await stat(real)).isDirectory()) throw new ApiError('INVALID_ARGUMENT', `${path} is not a folder`);
    return new ConfinedRoot(real);
  }

  /** Real absolute path of an existing entry inside the root. */
  async resolveExisting(rel: string): Promise<string> {
    const segments = checkRelativePath(rel);
    let real: string;
    try {
      real = await realpath(join(this.realRoot, ...segments));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ApiError('NOT_FOUND', `${rel} does not exist in the opened folder`);
      throw err;
    }
    if (!isInside(this.realRoot, real)) {
      throw new ApiError('FORBIDDEN', `${rel} resolves outside the opened repository folder (symlink to ${real})`);
    }
    return real;
  }

  /**
   * Real absolute path to write `rel` to: its parent folder must exist inside the root, and if the
   * file exists (possibly as a symlink) its real target must be inside too.
   */
  async resolveForWrite(rel: string): Promise<string> {
    const segments = checkRelativePath(rel);
    const target = join(this.realRoot, ...segments);
    try {
      return await this.resolveExisting(rel);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'NOT_FOUND') throw err;
    }
    const parentRel = segments.slice(0, -1).join('/');
    const parent = parentRel ? await this.resolveExisting(parentRel) : this.realRoot;
    return join(parent, basename(target));
  }

  /** '/'-separated path of an absolute path inside the root. */
  toRelative(abs: string): string {
    return relative(this.realRoot, abs).split(sep).join('/');
  }

  get name(): string {
    return basename(this.realRoot) || this.realRoot;
  }

  get parent(): string {
    return dirname(this.realRoot);
  }
}
