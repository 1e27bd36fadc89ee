#!/usr/bin/env node
// `npm test`: prepare the demo assets, build the renderer when a selected test needs it, then run
// every test/**/*.test.ts with Node's own test runner (through tsx) in one run, and close with a
// summary: what ran, what was skipped and why (missing ../shared apart from optional tools), and the
// ten slowest tests. Type-checking and lint are `npm run typecheck` and `npm run lint` (CI runs both).
//   --no-e2e       skip the browser tests (and so the renderer build)
//   WORDS          only test files whose path contains one of the words
// With ../shared beside the repo (as in CI), a skip because of missing ../shared data fails the run:
// it would mean a test looks in the wrong place. With CI=true, ../shared must be there.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererBuildIsCurrent, stampRendererBuild } from './lib/rendererBuild.mjs';
import { processCpuMs } from './proc-cpu.mjs';
import { updateHistory } from './lib/testHistory.mjs';
import { writeQueue } from './lib/laneQueue.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const withE2e = !args.includes('--no-e2e');
const filters = args.filter((a) => !a.startsWith('--'));
const sharedDir = join(root, '..', 'shared');
const SHARED_SKIP = /^\.\.\/shared\//;

/** @param {string} label @param {string[]} cmdArgs */
function run(label, cmdArgs) {
  const started = Date.now();
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(process.execPath, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`== ${label}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s\n`);
  return r.status ?? 1;
}

/** @param {string} dir @returns {string[]} */
function findTests(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const LANE_SUFFIX = '.lane.test.ts';
/** Files known to take long, for a guess at the queue's order when a file has no history. */
const KNOWN_SLOW = [
  'test/server/soak.test.ts',
  'test/e2e/',
  'test/triton-client/cli.test.ts',
  'test/inspector/compare-cli',
];
const durationsFile = join(root, '.tmp/test-durations.json');
/** @type {Record<string, number>} */
const lastDurations = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, 'utf8')) : {};
const started = Date.now();
let tests = findTests(join(root, 'test'));
if (!withE2e) tests = tests.filter((t) => !t.startsWith('test/e2e/'));
if (filters.length) tests = tests.filter((t) => filters.some((f) => t.includes(f)));

if (process.env.CI === 'true' && !existsSync(sharedDir)) {
  process.stderr.write(`run-tests: CI=true but ${sharedDir} is missing; CI must run every test.\n`);
  process.exit(1);
}

const demoBuild = join(root, 'scripts/demo/build.ts');
if (existsSync(demoBuild) && run('demo assets', ['--import', 'tsx', demoBuild]) !== 0) process.exit(1);
// The CLI's bundle (bin/cliBundle.mjs): the CLI processes the tests start run from it, at half the CPU.
if (run('CLI bundle', ['scripts/build-cli.mjs', '--if-stale']) !== 0) process.exit(1);

// Browser tests and tests that start the app (they say so with a `needs: renderer build` line).
const needsRenderer = tests.some(
  (t) => t.startsWith('test/e2e/') || readFileSync(join(root, t), 'utf8').includes('needs: renderer build'),
);
if (needsRenderer) {
  if (rendererBuildIsCurrent(root)) process.stdout.write('\n== renderer build: up to date (same sources)\n');
  else {
    const vite = join(root, 'node_modules/vite/bin/vite.js');
    if (run('renderer build', [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']) !== 0)
      process.exit(1);
    stampRendererBuild(root);
  }
}

mkdirSync(join(root, '.tmp'), { recursive: true });
// This run's own files (lanes, results, CPU records): a second `npm test` or one test file run
// meanwhile must not write into them. Removed at the end; the timing histories stay shared.
const runDir = join(root, '.tmp', `run-${process.pid}`);
// A run killed before its end leaves its directory; a later run with the same pid must not take its
// claims or its files (a day-old test PKI has expired).
rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
/**
 * Test files run in a few long-lived "lane" processes, each importing its files one after the other
 * (each in a suite named by its path), instead of a process per file: a Node + tsx start-up and the
 * imports a test needs (playwright-core alone is 0.6 s of CPU, the services half a second)
 * cost more than most files take to run. The lanes take their files from one queue, each when it is
 * done with the last (scripts/lib/lane.mjs, laneQueue.mjs), the longest first (by each file's wall
 * time in the previous run), so they end together whatever the machine's load does to a file's
 * time. Half the lanes prefer browser tests, the others the rest: a browser test that waits for its
 * page leaves the core to a lane that computes. A file with a `test-process: own` line gets a
 * process of its own (the soak: a minute of mostly waiting, which would hold up a lane). Files in a
 * lane must close what they open and restore what they change (environment variables, working
 * directory); the browser tests share one Chromium per process (test/e2e/harness.ts).
 *
 * Three lanes by default (TEST_LANES): on this 2-core machine two used less CPU (219-234 s against
 * 261-267 s: with three busy, the tests that wait for a page or a video frame wait longer while the
 * page keeps drawing) but left a core idle for 39-46 s of the run, when both lanes waited at once.
 * With the queue, in the same hours: 142.6-147.7 s with two lanes, 135.2-146.9 s with three.
 */
const OWN_PROCESS_MARK = 'test-process: own';
const LANES = Math.max(1, Number(process.env.TEST_LANES ?? 3));
const cpuHistoryFile = join(root, '.tmp/test-cpu-history.json');
/** @type {Record<string, number>} */
const lastCpu = existsSync(cpuHistoryFile) ? JSON.parse(readFileSync(cpuHistoryFile, 'utf8')) : {};
/**
 * A past run's CPU per file, committed: a fresh clone (and CI) has no history to order the queue by.
 * Only the order matters; refresh it from .tmp/test-cpu-history.json when files come or change much.
 * @type {Record<string, number>}
 */
const baselineCpu = JSON.parse(readFileSync(join(root, 'scripts/test-cpu-baseline.json'), 'utf8'));
/** Expected ms of a file: its last wall time, else the baseline's CPU, else a guess by kind. */
const expectedMs = (/** @type {string} */ t) =>
  lastDurations[t] ??
  baselineCpu[t] ??
  (t.startsWith('test/e2e/') ? 15_000 : KNOWN_SLOW.some((k) => t.startsWith(k)) ? 8_000 : 1_000);
const ownProcess = tests.filter((t) => readFileSync(join(root, t), 'utf8').includes(OWN_PROCESS_MARK));
const isBrowserTest = (/** @type {string} */ t) => t.startsWith('test/e2e/');
const queued = tests.filter((t) => !ownProcess.includes(t)).sort((a, b) => expectedMs(b) - expectedMs(a));
writeQueue(
  runDir,
  queued.map((file) => ({ file, kind: isBrowserTest(file) ? 'browser' : 'other' })),
);
const laneCount = Math.min(LANES, queued.length);
const laneFiles = Array.from({ length: laneCount }, (_, i) => {
  const file = join(runDir, `lane-${i + 1}${LANE_SUFFIX}`);
  const up = relative(runDir, root).split('\\').join('/');
  const options = { root, runDir, prefer: i % 2 === 0 ? 'browser' : 'other', slots: queued.length };
  writeFileSync(file, `import { runLane } from '${up}/scripts/lib/lane.mjs';\nrunLane(${JSON.stringify(options)});\n`);
  return relative(root, file);
});
const testArgs = [...ownProcess, ...laneFiles];
const summaryFile = join(runDir, 'test-summary.jsonl');
const cpuFile = join(runDir, 'test-cpu.jsonl');
writeFileSync(cpuFile, '');
process.env.TEST_CPU_FILE = cpuFile;
// Where test helpers may share what every lane would otherwise make again (test/triton-client/helpers/certs.ts).
process.env.TEST_RUN_DIR = runDir;
// For the reporters (scripts/lib/laneEvents.mjs): the files whose tests are not inside a lane's slots.
process.env.TEST_OWN_PROCESS_FILES = ownProcess.map((t) => join(root, t)).join('\n');
const status = run(`tests (${tests.length} files)`, [
  // The heap size the app's processes start with (electron/cli/nodeFlags.ts' SERVING_NODE_FLAGS; Node
  // hands it on to every test process, test/app/node-flags.test.ts checks it arrives): without it V8
  // sizes the old generation from a small live heap and runs a full collection every few inferences
  // (the frames' multi-megabyte buffers count against it).
  // During demo-video playback in a browser test: Node's V8 helper threads 1.3 -> 0.45 s of CPU in 5 s.
  ...(process.env.TEST_HEAP_FLAG === '0' ? [] : ['--initial-old-space-size=128']),
  '--import',
  'tsx',
  '--import',
  './scripts/test-cpu-hook.mjs',
  '--test',
  // Every lane and own-process file at once: the soak spends most of its time waiting, and the lanes
  // share out the queue between them.
  `--test-concurrency=${testArgs.length}`,
  '--test-reporter=./scripts/test-spec-reporter.mjs',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-summary-reporter.mjs',
  `--test-reporter-destination=${summaryFile}`,
  ...testArgs,
]);

/** @type {{ name: string, file?: string, nesting: number, kind: string, ms: number, outcome: string, skip?: string }[]} */
const results = existsSync(summaryFile)
  ? readFileSync(summaryFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
// Leaf tests only: suites (describe) and the per-file wrappers of process isolation are not tests.
const leaves = results.filter((r) => r.kind === 'test' && !(r.file && r.name === r.file));
const count = (/** @type {string} */ o) => leaves.filter((r) => r.outcome === o).length;
const where = (/** @type {{ file?: string }} */ r) => (r.file ? relative(root, r.file) : '?');
const skipped = leaves.filter((r) => r.outcome === 'skip');
const failedFiles = new Set(results.filter((r) => r.outcome === 'fail').map(where));
const fileMs = updateHistory(
  lastDurations,
  results.filter((r) => r.nesting === 0 && r.file).map((r) => [where(r), r.ms]),
  failedFiles,
);
writeFileSync(durationsFile, JSON.stringify(fileMs, null, 1));
const sharedSkips = skipped.filter((r) => SHARED_SKIP.test(r.skip ?? ''));
const otherSkips = skipped.filter((r) => !SHARED_SKIP.test(r.skip ?? ''));

const lines = ['', '== summary'];
lines.push(`${leaves.length} tests in ${tests.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
if (sharedSkips.length) {
  lines.push(`skipped because ../shared data is absent (${sharedSkips.length}):`);
  for (const r of sharedSkips) lines.push(`  - ${where(r)}: ${r.name}: ${r.skip}`);
}
if (otherSkips.length) {
  lines.push(`skipped for optional tools or conditions (${otherSkips.length}):`);
  for (const r of otherSkips) lines.push(`  - ${where(r)}: ${r.name}: ${r.skip}`);
}
lines.push('10 slowest tests:');
for (const r of [...leaves].sort((a, b) => b.ms - a.ms).slice(0, 10))
  lines.push(`  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${where(r)}: ${r.name}`);

/** @type {{ process?: string, file?: string, test?: string, cpuMs: number }[]} */
const cpu = readFileSync(cpuFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const seconds = (/** @type {number} */ ms) => (ms / 1000).toFixed(1).padStart(6);
const processCpu = cpu.filter((c) => c.process);
const testCpu = cpu.filter((c) => c.test !== undefined);
const fileCpu = cpu.filter((c) => c.file && c.test === undefined);
/** Per test file: a lane's files by their own records, an own-process file by its process's. */
const perFile = [
  ...fileCpu.map((c) => ({ name: /** @type {string} */ (c.file), cpuMs: c.cpuMs })),
  ...processCpu
    .filter((c) => !c.process?.endsWith(LANE_SUFFIX))
    .map((c) => ({ name: relative(root, /** @type {string} */ (c.process)), cpuMs: c.cpuMs })),
];
if (processCpu.length) {
  const lanesCpu = processCpu.filter((c) => c.process?.endsWith(LANE_SUFFIX));
  const laneFilesMs = fileCpu.reduce((s, c) => s + c.cpuMs, 0);
  const lanesNote = lanesCpu.length
    ? ` (${lanesCpu.length} lanes: ${lanesCpu.map((c) => seconds(c.cpuMs).trim()).join(' + ')} s, of which ` +
      `${seconds(lanesCpu.reduce((s, c) => s + c.cpuMs, 0) - laneFilesMs).trim()} s start-up and between files)`
    : '';
  lines.push(
    `CPU of the test processes: ${seconds(processCpu.reduce((s, c) => s + c.cpuMs, 0)).trim()} s${lanesNote}; the 10 costliest files:`,
  );
  for (const c of [...perFile].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 10))
    lines.push(`  ${seconds(c.cpuMs)} s  ${c.name}`);
  if (testCpu.length) {
    lines.push('the 10 costliest tests (CPU, with the Chromium and children working meanwhile):');
    for (const c of [...testCpu].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 10))
      lines.push(`  ${seconds(c.cpuMs)} s  ${c.file}: ${c.test}`);
  }
  const history = updateHistory(
    lastCpu,
    perFile.map((c) => [c.name, c.cpuMs]),
    failedFiles,
  );
  writeFileSync(cpuHistoryFile, JSON.stringify(history, null, 1));
}
// From this process's counters: what it and the processes it waited for used. Chromium's helper
// processes are never waited for (they leave with the browser), so they are not in it; the test
// processes' line above, read from the process trees, has them.
lines.push(
  `CPU of the whole run (builds included, by waited-for processes; Chromium's helpers not in it): ${((processCpuMs() ?? 0) / 1000).toFixed(1)} s`,
);

let failed = status !== 0;
if (existsSync(sharedDir) && sharedSkips.length) {
  lines.push(`ERROR: ${sharedDir} is present, yet ${sharedSkips.length} tests skipped for missing ../shared data.`);
  failed = true;
}
lines.push(`${count('pass')} passed, ${count('fail')} failed, ${skipped.length} skipped`);
process.stdout.write(`${lines.join('\n')}\n`);
// The per-test CPU records outlive the run (the summary shows only the top ten): where to look first
// when the suite gets slower.
if (existsSync(cpuFile)) copyFileSync(cpuFile, join(root, '.tmp/last-test-cpu.jsonl'));
rmSync(runDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
