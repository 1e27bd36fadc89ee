/**
 * CPU time of process trees from /proc (Linux), so the pipeline bench can report what each part
 * costs per inference. On a machine shared with other jobs the throughput says how much CPU the
 * pipeline got; CPU time per inference says how much it needs.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux ABI Node runs on

export interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** Chromium's process type (--type=renderer, gpu-process, utility, ...); 'main' without one. */
  kind: string;
  cpuS: number;
}

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces: the fields after it are split from its end.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const kind = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'main';
    return { pid, ppid: Number(f[1]), comm, kind, cpuS: (Number(f[11]) + Number(f[12])) / TICKS_PER_S };
  } catch {
    return null; // exited meanwhile
  }
}

/** `root` and its descendants, with their CPU seconds so far (threads included). */
export function processTree(root: number): Stat[] {
  const out: Stat[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const s = stat(pid);
    if (!s) continue;
    out.push(s);
    queue.push(...childrenOf(pid));
  }
  return out;
}

/** Children of every thread of `pid` (/proc/PID/task/TID/children), else by scanning /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => stat(Number(d)))
      .filter((s): s is Stat => s !== null && s.ppid === pid)
      .map((s) => s.pid);
  }
}

/** CPU seconds of each thread of `pid`, summed per thread name (e.g. Chromium's 'DedicatedWorker'). */
export function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // the process ended meanwhile
  }
  for (const tid of tids) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const name = text.slice(text.indexOf('(') + 1, close);
      const f = text.slice(close + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS_PER_S);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** CPU seconds per group (`group(stat)` names it) of the given processes. */
export function cpuByGroup(stats: readonly Stat[], group: (s: Stat) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of stats) out.set(group(s), (out.get(group(s)) ?? 0) + s.cpuS);
  return out;
}

export const available = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();
