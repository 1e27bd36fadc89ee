#!/usr/bin/env node
// `npm run typecheck`: each side of the code base on its own, with only the types it may use
// (shared/: neither Node nor DOM; renderer/: DOM; electron/, scripts/, bin/, bench/: Node; tests:
// Node, plus DOM for renderer and browser tests). Stops at the first side that fails.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
for (const side of ['shared', 'renderer', 'node', 'test', 'test-dom']) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${side}.json`], { cwd: root, stdio: 'inherit' });
  process.stdout.write(
    `typecheck ${side}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
