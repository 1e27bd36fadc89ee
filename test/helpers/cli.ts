/**
 * Runs `tritonscope` commands for tests. Spawning `node bin/tritonscope.mjs` costs about a second
 * of CPU per call (Node start-up, tsx, loading gRPC and the protos), which dominated the CLI tests.
 * `cliHost()` starts one child process that runs commands through the same main() the binary calls,
 * one after another, each with its own captured stdout/stderr and exit code. `spawnCli()` runs the
 * real binary; every CLI test file keeps at least one such call, so the entry point itself (and
 * that the process exits when a command is done) stays covered.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ProcessShared } from './processShared';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'bin/tritonscope.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHost {
  run(args: string[], opts?: { cwd?: string }): Promise<CliResult>;
  close(): void;
}

/**
 * The host child of this test process, shared by the files that run in it (see cliHost). It outlives
 * a file by up to a minute, so the next CLI file of the same lane (often a few files later: the queue
 * deals them out by length) finds it started: a start costs 0.3 s of CPU to the first answer. While idle it does not
 * hold this process open (it exits with it: cliChild.mjs ends on disconnect).
 */
const hosts: ProcessShared<ChildProcess> = new ProcessShared(startHost, (child) => child.kill(), 60_000, {
  park: (child) => {
    child.unref();
    child.channel?.unref();
  },
  unpark: (child) => {
    child.ref();
    child.channel?.ref();
  },
});
const pending = new Map<number, { done: (r: CliResult) => void; fail: (e: Error) => void }>();
let next = 0;

function startHost(): ChildProcess {
  const child: ChildProcess = fork(join(import.meta.dirname, 'cliChild.mjs'), [], {
    // Plain Node (a fork inherits the test process's --import tsx otherwise): see cliChild.mjs.
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (msg: CliResult & { id: number }) => {
    pending.get(msg.id)?.done({ code: msg.code, stdout: msg.stdout, stderr: msg.stderr });
    pending.delete(msg.id);
  });
  child.on('exit', (code, signal) => {
    hosts.drop(child);
    for (const p of pending.values()) p.fail(new Error(`CLI host exited (code ${code}, signal ${signal})`));
    pending.clear();
  });
  return child;
}

/**
 * A handle on the CLI host. Test files that run in one process (scripts/run-tests.mjs runs several
 * files per process) share one host child: its start-up is the cost this helper exists to avoid.
 * close() releases the handle; the child exits a minute after the last handle is released (or when
 * this process ends), unless another file takes it first.
 */
export function cliHost(): CliHost {
  const child = hosts.take();
  let closed = false;
  return {
    run(args, opts) {
      const id = next++;
      return new Promise((done, fail) => {
        if (closed) return fail(new Error('CLI host handle is closed'));
        pending.set(id, { done, fail });
        child.send({ id, args, cwd: opts?.cwd ?? REPO_ROOT });
      });
    },
    close() {
      if (closed) return;
      closed = true;
      hosts.release(child);
    },
  };
}

/** The real binary in a process of its own. */
export function spawnCli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: opts.cwd ?? REPO_ROOT, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
