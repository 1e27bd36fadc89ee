// CPU of a process tree from /proc (Linux; null elsewhere), for the test runner's accounting and for
// measuring what a test costs. A test's Chromium (and its renderer and GPU processes), a server or a
// CLI child are still running while the test runs, so the parent's own counters (which take in a
// child's CPU only once the child has exited and been waited for) miss them; this sums the live
// descendants too. Each process counts utime + stime + cutime + cstime: a child that already exited
// and was reaped is in its parent's cutime/cstime and no longer in /proc, so nothing is counted twice.
// Descendants are found through /proc/PID/task/TID/children (no scan of all of /proc): cheap enough
// to take before and after every test.
// A process can leave the tree without its CPU reaching an ancestor: Chromium's helpers (zygote,
// renderers, GPU, network) are not waited for by the browser process when it closes, so closing a
// browser made the tree's total drop by seconds. treeCpuMeter() keeps those: a process gone since
// the last reading whose parent's reaped counters did not take it in is added from its last reading.
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * @typedef {{ parent: number, started: string, total: number, reaped: number }} ProcCpu
 *   total: CPU ms of the process and its reaped children; reaped: of those children alone.
 */

/** @param {number} pid @returns {ProcCpu | null} */
function readProc(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": ppid is field 1; utime, stime, cutime, cstime 11-14; starttime 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    const reaped = (Number(fields[13]) + Number(fields[14])) * TICK_MS;
    return { parent: Number(fields[1]), started: fields[19], total: own + reaped, reaped };
  } catch {
    return null;
  }
}

/** @param {number} pid @returns {Map<number, ProcCpu> | null} the process and its live descendants */
function readTree(pid) {
  const root = readProc(pid);
  if (!root) return null;
  const tree = new Map([[pid, root]]);
  const pending = childrenOf(pid);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const p = readProc(next);
    if (!p) continue;
    tree.set(next, p);
    pending.push(...childrenOf(next));
  }
  return tree;
}

/** @param {number} pid @returns {number[]} the live children of every thread of the process */
function childrenOf(pid) {
  /** @type {number[]} */
  const out = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) for (const c of list.split(' ')) out.push(Number(c));
    }
  } catch {
    // the process (or a thread) ended meanwhile: its CPU is now in its parent's counters
  }
  return out;
}

/**
 * CPU ms used so far by the process `pid` (default: this one) and the children it has waited for
 * (not the live ones); null where /proc is missing.
 * @param {number} [pid]
 */
export function processCpuMs(pid = process.pid) {
  return readProc(pid)?.total ?? null;
}

/**
 * CPU ms used so far by the process `pid` (default: this one), the children it has waited for, and
 * all its live descendants; null where /proc is missing. One reading: see treeCpuMeter for a total
 * that keeps what processes that left the tree used.
 * @param {number} [pid]
 */
export function treeCpuMs(pid = process.pid) {
  const tree = readTree(pid);
  return tree ? [...tree.values()].reduce((sum, p) => sum + p.total, 0) : null;
}

/**
 * A reader of the tree's CPU that does not drop when a process leaves it un-reaped (see above):
 * each call returns the CPU ms used so far, or null where /proc is missing.
 * @param {number} [pid]
 */
export function treeCpuMeter(pid = process.pid) {
  /** @type {Map<number, ProcCpu>} */
  let last = new Map();
  let gone = 0;
  return () => {
    const tree = readTree(pid);
    if (!tree) return null;
    // What each surviving parent reaped since the last reading, handed out to its vanished children.
    /** @type {Map<number, number>} */
    const newlyReaped = new Map();
    for (const [p, was] of last) {
      const is = tree.get(p);
      if (is && is.started === was.started) newlyReaped.set(p, is.reaped - was.reaped);
    }
    for (const [p, was] of last) {
      const is = tree.get(p);
      if (is && is.started === was.started) continue;
      const reapedByParent = newlyReaped.get(was.parent) ?? 0;
      if (reapedByParent >= was.total) newlyReaped.set(was.parent, reapedByParent - was.total);
      else gone += was.total;
    }
    last = tree;
    return gone + [...tree.values()].reduce((sum, p) => sum + p.total, 0);
  };
}
