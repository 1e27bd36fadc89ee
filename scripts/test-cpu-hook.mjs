// CPU accounting for scripts/run-tests.mjs, written to the file named by TEST_CPU_FILE (one JSON line
// per record): wall time alone misleads on two cores, where a file that waits looks as slow as one
// that computes. Figures come from /proc/self/stat: this process's user+system time plus that of the
// children it has waited for (Chromium, CLI processes, servers). Linux only; elsewhere nothing is
// recorded.
//  - Loaded into every test process (`--import`): at exit, the process's whole CPU
//    ({ process: file }).
//  - fileCpu(path), used by the lane files that run several test files in one process: the CPU from
//    before a file's first test to after its last hook ({ file: path }). A Chromium shared by the
//    files of a lane is counted in the lane's process total only (its CPU is known when it exits).
import { appendFileSync, readFileSync } from 'node:fs';

const out = process.env.TEST_CPU_FILE;

/** CPU ms of this process and its waited-for children; null where /proc is missing. */
function cpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // utime, stime, cutime, cstime: fields 14-17 of the line, 11-14 after "pid (comm) ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** @param {Record<string, unknown>} record */
function write(record) {
  if (out) appendFileSync(out, `${JSON.stringify(record)}\n`);
}

const processFile = process.argv.find((a) => a.endsWith('.test.ts'));
if (processFile && out)
  process.on('exit', () => {
    const ms = cpuMs();
    if (ms !== null) write({ process: processFile, cpuMs: ms });
  });

/** @param {string} file the test file's path from the repository root */
export function fileCpu(file) {
  let started = 0;
  return {
    start() {
      started = cpuMs() ?? 0;
    },
    stop() {
      const ms = cpuMs();
      if (ms !== null) write({ file, cpuMs: ms - started });
    },
  };
}
