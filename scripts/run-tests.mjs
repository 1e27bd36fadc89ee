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
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** This process's CPU plus that of every child it waited for, in ms (Linux; 0 elsewhere). */
function runCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10; // 100 ticks/s
  } catch {
    return 0;
  }
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

/**
 * Longest first, so the run ends with short files on both cores instead of one long file alone
 * (the soak is a minute of mostly waiting). Order by each file's duration in the previous run
 * (.tmp/test-durations.json); files never timed (a fresh clone) follow this list, then the rest.
 */
const GROUP_NAME = 'shared-process.test.ts';
const KNOWN_SLOW = [
  'test/server/soak.test.ts',
  'test/e2e/',
  'test/triton-client/cli.test.ts',
  'test/inspector/compare-cli',
];
const durationsFile = join(root, '.tmp/test-durations.json');
/** @type {Record<string, number>} */
const lastDurations = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, 'utf8')) : {};
/** @param {string} t */
const rank = (t) => {
  const known = KNOWN_SLOW.findIndex((k) => t.startsWith(k));
  return lastDurations[t] ?? (known >= 0 ? 1e9 - known : 0);
};

const started = Date.now();
let tests = findTests(join(root, 'test'));
tests.sort((a, b) => rank(b) - rank(a) || a.localeCompare(b));
if (!withE2e) tests = tests.filter((t) => !t.startsWith('test/e2e/'));
if (filters.length) tests = tests.filter((t) => filters.some((f) => t.includes(f)));

if (process.env.CI === 'true' && !existsSync(sharedDir)) {
  process.stderr.write(`run-tests: CI=true but ${sharedDir} is missing; CI must run every test.\n`);
  process.exit(1);
}

const demoBuild = join(root, 'scripts/demo/build.ts');
if (existsSync(demoBuild) && run('demo assets', ['--import', 'tsx', demoBuild]) !== 0) process.exit(1);

// Browser tests and tests that start the app (they say so with a `needs: renderer build` line).
const needsRenderer = tests.some(
  (t) => t.startsWith('test/e2e/') || readFileSync(join(root, t), 'utf8').includes('needs: renderer build'),
);
if (needsRenderer) {
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  if (run('renderer build', [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']) !== 0)
    process.exit(1);
}

mkdirSync(join(root, '.tmp'), { recursive: true });
/**
 * Pure test files (no servers, browsers, child processes or global state; they say so with a
 * `test-process: shared` line) run together in one process: Node and tsx start-up cost about 0.6 s
 * of CPU per process, more than most of these files take to run. Each keeps its own suite, named by
 * its path, so reports still say which file a test is in. The rest get a process each.
 */
const SHARED_PROCESS_MARK = 'test-process: shared';
const sharedGroup = tests.filter((t) => readFileSync(join(root, t), 'utf8').includes(SHARED_PROCESS_MARK));
const groupFile = join(root, '.tmp', GROUP_NAME);
if (sharedGroup.length) {
  const lines = ["import { describe } from 'node:test';"];
  for (const t of sharedGroup) lines.push(`describe(${JSON.stringify(t)}, async () => { await import('../${t}'); });`);
  writeFileSync(groupFile, `${lines.join('\n')}\n`);
}
const testArgs = tests.filter((t) => !sharedGroup.includes(t));
if (sharedGroup.length) {
  const groupMs = sharedGroup.reduce((sum, t) => sum + rank(t), 0);
  const at = testArgs.findIndex((t) => rank(t) < groupMs);
  testArgs.splice(at < 0 ? testArgs.length : at, 0, relative(root, groupFile));
}
const summaryFile = join(root, '.tmp/test-summary.jsonl');
const cpuFile = join(root, '.tmp/test-cpu.jsonl');
writeFileSync(cpuFile, '');
process.env.TEST_CPU_FILE = cpuFile;
const status = run(`tests (${tests.length} files)`, [
  '--import',
  'tsx',
  '--import',
  './scripts/test-cpu-hook.mjs',
  '--test',
  // Three at a time on two cores: the soak and the browser tests spend much of their time waiting.
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`,
  '--test-reporter=spec',
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
/** @type {Record<string, number>} */
const fileMs = { ...lastDurations };
for (const r of results) if (r.nesting === 0 && r.file) fileMs[where(r)] = 0;
for (const r of results) if (r.nesting === 0 && r.file) fileMs[where(r)] += r.ms;
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

/** @type {{ file: string, cpuMs: number }[]} */
const cpu = readFileSync(cpuFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
if (cpu.length) {
  const seconds = (/** @type {number} */ ms) => (ms / 1000).toFixed(1).padStart(6);
  lines.push(`CPU of the test files: ${seconds(cpu.reduce((s, c) => s + c.cpuMs, 0)).trim()} s; the 10 costliest:`);
  for (const c of [...cpu].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 10))
    lines.push(`  ${seconds(c.cpuMs)} s  ${relative(root, c.file)}`);
}
lines.push(`CPU of the whole run (builds included): ${(runCpuMs() / 1000).toFixed(1)} s`);

let failed = status !== 0;
if (existsSync(sharedDir) && sharedSkips.length) {
  lines.push(`ERROR: ${sharedDir} is present, yet ${sharedSkips.length} tests skipped for missing ../shared data.`);
  failed = true;
}
lines.push(`${count('pass')} passed, ${count('fail')} failed, ${skipped.length} skipped`);
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(failed ? 1 : 0);
