/**
 * CPU utilisation and memory as Triton computes them from /proc (core src/metrics.cc): the busy
 * share of the aggregate cpu line between two polls, MemTotal - MemAvailable as used memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuUtilization, parseMeminfo, parseProcStat } from '../../electron/server/metrics/system';

test('/proc/stat: busy = user+nice+system+irq+softirq+steal, idle = idle+iowait; utilisation between two reads', () => {
  const a = parseProcStat('cpu  100 10 50 800 40 5 5 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1\n')!;
  assert.deepEqual(a, { busy: 170, idle: 840 });
  const b = parseProcStat('cpu  160 10 70 860 60 5 5 0 0 0\n')!;
  // busy +80, idle +80
  assert.equal(cpuUtilization(a, b), 0.5);
  assert.equal(cpuUtilization(a, a), 0, 'no time passed: 0, not NaN');
  assert.equal(cpuUtilization(b, a), 0, 'counters that went backwards count as 0');
  assert.equal(parseProcStat('cpu0 1 2 3 4 5 6 7 8\n'), null, 'the first line must be the aggregate');
  assert.equal(parseProcStat('cpu  1 2 x 4 5 6 7 8\n'), null);
  assert.equal(parseProcStat(''), null);
});

test('/proc/meminfo: total = MemTotal, used = MemTotal - MemAvailable (kB -> bytes)', () => {
  const text = 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\nCached: 1 kB\n';
  assert.deepEqual(parseMeminfo(text), { totalBytes: 16_000_000 * 1024, usedBytes: 10_000_000 * 1024 });
  assert.equal(parseMeminfo('MemTotal: 10 kB\n'), null, 'no MemAvailable');
  assert.equal(parseMeminfo('MemTotal: 10 kB\nMemAvailable: 11 kB\n'), null, 'more available than total');
});
