#!/usr/bin/env node
// `npm test`: type-check, prepare the demo assets, build the renderer, then run every
// test/**/*.test.ts with Node's own test runner (through tsx) in one run, so the summary at the end
// counts everything. `--no-e2e` skips the browser tests and the renderer build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const withE2e = !args.includes('--no-e2e');
const filters = args.filter((a) => !a.startsWith('--'));

function run(label, cmd, cmdArgs) {
  const started = Date.now();
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  process.stdout.write(
    `== ${label}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const tsc = join(root, 'node_modules/typescript/bin/tsc');
run('type-check (all)', process.execPath, [tsc, '-p', 'tsconfig.json']);
run('type-check (shared/ is pure)', process.execPath, [tsc, '-p', 'tsconfig.shared.json']);

const demoBuild = join(root, 'scripts/demo/build.ts');
if (existsSync(demoBuild)) run('demo assets', process.execPath, ['--import', 'tsx', demoBuild]);

let tests = findTests(join(root, 'test'));
if (!withE2e) tests = tests.filter((t) => !t.includes('/e2e/'));
if (filters.length) tests = tests.filter((t) => filters.some((f) => t.includes(f)));
if (withE2e && tests.some((t) => t.includes('/e2e/')) && existsSync(join(root, 'renderer/vite.config.ts'))) {
  run('renderer build', process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}
run(`tests (${tests.length} files)`, process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  ...tests,
]);
