/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (benchmarks
 * must not compete for the two cores), and prints each one's report. A benchmark exits non-zero
 * when its goal is missed, and so does this runner. Each runs with SERVING_NODE_FLAGS
 * (electron/cli/nodeFlags.ts), as `npm start` and `tritonscope serve` do.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SERVING_NODE_FLAGS } from '../electron/cli/nodeFlags';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
let failed = 0;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.bench.ts'))
  .sort()) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  process.stdout.write(`\n### ${name}\n`);
  // With the V8 flags the app's own Node processes run with, so the clients measured here collect
  // garbage as they do in the app.
  const r = spawnSync(process.execPath, [...SERVING_NODE_FLAGS, '--import', 'tsx', join(dir, name)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.stdout.write(failed ? `\n${failed} benchmark(s) missed their goal\n` : '\nall benchmarks met their goals\n');
process.exitCode = failed ? 1 : 0;
