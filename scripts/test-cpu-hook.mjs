// Loaded into every test process by scripts/run-tests.mjs (`--import`): when a test file's process
// exits, it appends the CPU that file cost to .tmp/test-cpu.jsonl — its own user+system time plus
// that of the children it waited for (Chromium, CLI processes, servers), from /proc/self/stat — so the
// run's summary can say which files the suite's CPU goes to. Wall time alone misleads on two cores:
// a file that waits looks as slow as one that computes. Linux only; elsewhere it records nothing.
import { appendFileSync, readFileSync } from 'node:fs';

const file = process.argv.find((a) => a.endsWith('.test.ts'));
const out = process.env.TEST_CPU_FILE;
if (file && out) {
  process.on('exit', () => {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      // Fields after the command name (which may contain spaces) — utime, stime, cutime, cstime are
      // fields 14-17 of the whole line, i.e. 11-14 after "pid (comm)".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      appendFileSync(out, `${JSON.stringify({ file, cpuMs: ticks * 10 })}\n`); // USER_HZ is 100 on Linux
    } catch {
      // No /proc (not Linux): the summary shows no CPU figures.
    }
  });
}
