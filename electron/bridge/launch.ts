/**
 * Opens browser mode in the user's browser without the token on any command line (`ps` shows
 * every process's argv to every local user). We write a one-line redirect page to a private file
 * (0600, in a fresh 0700 temp folder) and hand the opener only that file's path; the page sends
 * the browser to a one-time login code, which the bridge exchanges once for the cookie.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Removes the launch file after this long even if nobody opened it (the code expires too). */
const LAUNCH_FILE_LIFETIME_MS = 120_000;

export interface LaunchTarget {
  /** http://host:port of the bridge. */
  origin: string;
  issueLoginCode(): string;
}

export interface Launch {
  /** The private redirect page given to the opener. */
  file: string;
  cleanup(): void;
}

function defaultOpener(): string {
  return process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
}

/** Best effort: a missing opener is not an error (the URL was printed). */
export function openInBrowser(target: LaunchTarget, opener = defaultOpener()): Launch {
  const dir = mkdtempSync(join(tmpdir(), 'tritonscope-open-')); // mkdtemp creates it 0700
  const file = join(dir, 'open-tritonscope.html');
  const loginUrl = `${target.origin}/?code=${target.issueLoginCode()}`;
  writeFileSync(
    file,
    `<!doctype html><meta http-equiv="refresh" content="0;url=${loginUrl}"><title>Tritonscope</title>` +
      `<a href="${loginUrl}">Open Tritonscope</a>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  setTimeout(cleanup, LAUNCH_FILE_LIFETIME_MS).unref();
  try {
    const child = spawn(opener, [file], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    /* no opener: the URL was printed */
  }
  return { file, cleanup };
}
