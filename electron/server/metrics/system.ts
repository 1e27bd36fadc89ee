/**
 * CPU utilisation and memory as Triton reports them (core src/metrics.cc, Linux only there):
 * utilisation is the busy share of the aggregate `cpu` line of /proc/stat between two polls
 * (user+nice+system+irq+softirq+steal over that plus idle+iowait), memory total is MemTotal and
 * used is MemTotal - MemAvailable from /proc/meminfo. Polled every 2 s (Triton's default
 * --metrics-interval-ms). Elsewhere (macOS, Windows), Node's os module gives the same quantities.
 */
import { readFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';

export interface SystemSample {
  cpuUtilization: number;
  memoryTotalBytes: number;
  memoryUsedBytes: number;
}

export interface CpuTimes {
  busy: number;
  idle: number;
}

/** The aggregate line of /proc/stat; null when the text has none (not Linux, or unreadable). */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n', 1)[0];
  if (!line.startsWith('cpu ')) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 8 || f.slice(0, 8).some((x) => !Number.isFinite(x))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  return { busy: user + nice + system + irq + softirq + steal, idle: idle + iowait };
}

/** Triton's CpuUtilization: counters that went backwards count as 0; no time passed gives 0. */
export function cpuUtilization(before: CpuTimes, after: CpuTimes): number {
  const busy = Math.max(0, after.busy - before.busy);
  const idle = Math.max(0, after.idle - before.idle);
  return busy + idle > 0 ? busy / (busy + idle) : 0;
}

/** MemTotal and MemTotal - MemAvailable, in bytes; null if either is missing or inconsistent. */
export function parseMeminfo(text: string): { totalBytes: number; usedBytes: number } | null {
  const kib = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kib('MemTotal');
  const available = kib('MemAvailable');
  if (total === undefined || available === undefined || available > total) return null;
  return { totalBytes: total, usedBytes: total - available };
}

function readCpuTimes(): CpuTimes {
  try {
    const parsed = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    if (parsed) return parsed;
  } catch {
    // not Linux: the os module below
  }
  let busy = 0;
  let idle = 0;
  for (const c of cpus()) {
    busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
    idle += c.times.idle;
  }
  return { busy, idle };
}

function readMemory(): { totalBytes: number; usedBytes: number } {
  try {
    const parsed = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
    if (parsed) return parsed;
  } catch {
    // not Linux
  }
  return { totalBytes: totalmem(), usedBytes: totalmem() - freemem() };
}

export const SYSTEM_POLL_MS = 2000;

/** Polls in the background (the timer never keeps the process alive); `latest()` is the last poll. */
export class SystemSampler {
  private last: CpuTimes;
  private sample: SystemSample;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = SYSTEM_POLL_MS) {
    this.last = readCpuTimes();
    const memory = readMemory();
    // Like Triton: utilisation is 0 until the first interval has passed.
    this.sample = { cpuUtilization: 0, memoryTotalBytes: memory.totalBytes, memoryUsedBytes: memory.usedBytes };
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  private poll(): void {
    const now = readCpuTimes();
    const memory = readMemory();
    this.sample = {
      cpuUtilization: cpuUtilization(this.last, now),
      memoryTotalBytes: memory.totalBytes,
      memoryUsedBytes: memory.usedBytes,
    };
    this.last = now;
  }

  latest(): SystemSample {
    return this.sample;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
