// CPU accounting for scripts/run-tests.mjs, written to the file named by TEST_CPU_FILE (one JSON line
// per record): wall time alone misleads on two cores, where a file that waits looks as slow as one
// that computes. Figures come from /proc (scripts/proc-cpu.mjs): this process's user+system time plus
// that of its children (Chromium, CLI processes, servers), live or waited for. Linux only; elsewhere
// nothing is recorded.
//  - Loaded into every test process (`--import`): at exit, the process's whole CPU
//    ({ process: file }).
//  - fileCpu(path), used by the lane files that run several test files in one process: the CPU from
//    before a file's first test to after its last hook ({ file: path }), and of each test
//    ({ file, test, cpuMs }). Live descendants count too (scripts/proc-cpu.mjs): the Chromium shared by
//    the files of a lane is charged to the file (and test) during which it worked.
import { appendFileSync } from 'node:fs';
import { treeCpuMeter } from './proc-cpu.mjs';

const out = process.env.TEST_CPU_FILE;

/** CPU ms of this process, its waited-for children and its live descendants; null where /proc is missing. */
const cpuMs = treeCpuMeter();

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
  let testStarted = 0;
  return {
    start() {
      started = cpuMs() ?? 0;
    },
    stop() {
      const ms = cpuMs();
      if (ms !== null) write({ file, cpuMs: ms - started });
    },
    /** beforeEach of the file's suite: runs before each of its tests. */
    testStart() {
      testStarted = cpuMs() ?? 0;
    },
    /** afterEach: the test's CPU (its own hooks' included). @param {{ name: string }} t */
    testStop(t) {
      const ms = cpuMs();
      if (ms !== null) write({ file, test: t.name, cpuMs: ms - testStarted });
    },
  };
}
