/**
 * Listing folders so a browser-mode page can choose a certificate or key (there is no native
 * dialog there). Confined like the repository browser: only folders inside the allowed roots (by
 * default the user's home folder) are listed, real paths are checked after resolving symlinks, and
 * no dot-file or dot-folder is listed or entered (~/.ssh stays out of view). Only names, kinds and
 * sizes leave this module; file contents never do.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { ApiError, type BrowseFilesResponse } from '../../shared/contract';
import { isInside } from './confine';

/** A folder of certificates is small; a huge one is not where a CA file lives. */
export const MAX_BROWSE_ENTRIES = 2000;

export class FileBrowser {
  private realRoots: Promise<string[]> | undefined;

  constructor(private readonly roots: readonly string[]) {}

  private allowed(): Promise<string[]> {
    this.realRoots ??= Promise.all(this.roots.map((r) => realpath(r).catch(() => null as string | null))).then((rs) =>
      rs.filter((r): r is string => r !== null),
    );
    return this.realRoots;
  }

  async browse(dir?: string): Promise<BrowseFilesResponse> {
    const roots = await this.allowed();
    if (!roots.length) throw new ApiError('NOT_FOUND', 'no folder is allowed for choosing files here');
    const wanted = dir ?? roots[0];
    if (wanted.includes('\0')) throw new ApiError('INVALID_ARGUMENT', 'path contains a NUL byte');
    if (!isAbsolute(wanted)) throw new ApiError('INVALID_ARGUMENT', `'${wanted}' is not an absolute folder path`);
    let real: string;
    try {
      real = await realpath(wanted);
    } catch {
      throw new ApiError('NOT_FOUND', `${wanted} does not exist`);
    }
    const root = roots.find((r) => isInside(r, real));
    if (!root) {
      throw new ApiError(
        'FORBIDDEN',
        `${wanted} is outside the folders files can be chosen from (${roots.join(', ')})`,
      );
    }
    if (
      real
        .slice(root.length)
        .split(/[\\/]/)
        .some((seg) => seg.startsWith('.'))
    ) {
      throw new ApiError('FORBIDDEN', `${wanted} is a hidden folder; type the file's path instead`);
    }
    if (!(await stat(real)).isDirectory()) throw new ApiError('INVALID_ARGUMENT', `${wanted} is not a folder`);
    const names = (await readdir(real)).filter((n) => !n.startsWith('.')).sort((a, b) => a.localeCompare(b));
    const entries: BrowseFilesResponse['entries'] = [];
    let truncated = false;
    for (const name of names) {
      if (entries.length >= MAX_BROWSE_ENTRIES) {
        truncated = true;
        break;
      }
      // stat follows symlinks: a link is listed as what it points to (and entering it is checked again).
      const s = await stat(join(real, name)).catch(() => null);
      if (s?.isDirectory()) entries.push({ name, kind: 'dir', size: 0 });
      else if (s?.isFile()) entries.push({ name, kind: 'file', size: s.size });
    }
    entries.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'dir' ? -1 : 1));
    const parent = real === root ? null : dirname(real);
    return { dir: real, parent, roots, entries, truncated };
  }
}
