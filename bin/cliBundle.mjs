// Where `tritonscope` gets its code: the CLI bundled by `node scripts/build-cli.mjs` (dist/cli, made by
// `npm run setup` and before `npm test`) when it was built from the sources as they are now, else the
// TypeScript sources through tsx, so that the binary works straight after `npm install` and after any
// edit. The bundle starts in about half the CPU (0.5 s against 1.0 s for `tritonscope status`, this
// machine): through tsx every module goes through Node's loader-hooks thread.
//
// "As they are now" is a hash of the bundle's inputs (the files esbuild read, listed in the stamp).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inputsHash } from './inputsHash.mjs';

export const CLI_BUNDLE = 'dist/cli/main.cjs';
export const CLI_STAMP = 'dist/cli/stamp.json';

/** @param {string} root @returns {boolean} dist/cli holds a bundle of the current sources */
export function cliBundleIsCurrent(root) {
  try {
    const stamp = /** @type {{ inputs: string[], hash: string }} */ (
      JSON.parse(readFileSync(join(root, CLI_STAMP), 'utf8'))
    );
    return existsSync(join(root, CLI_BUNDLE)) && stamp.hash !== '' && inputsHash(root, stamp.inputs) === stamp.hash;
  } catch {
    return false;
  }
}

/**
 * The CLI's main(): from the bundle when it is current (and TRITONSCOPE_CLI_FROM_SOURCE is not 1),
 * else from the sources.
 * @param {string} [root]
 * @returns {Promise<{ main: (argv: string[]) => Promise<number>, from: 'bundle' | 'source' }>}
 */
export async function loadCliMain(root = fileURLToPath(new URL('..', import.meta.url))) {
  if (process.env.TRITONSCOPE_CLI_FROM_SOURCE !== '1' && cliBundleIsCurrent(root)) {
    const { main } = createRequire(import.meta.url)(join(root, CLI_BUNDLE));
    return { main, from: 'bundle' };
  }
  // A process started with `--import tsx` (a test process) has tsx's hooks already.
  if (!process.execArgv.some((a) => /(^|[/\\])tsx([/\\]|$)/.test(a))) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  const { main } = await import(pathToFileURL(join(root, 'electron/cli/main.ts')).href);
  return { main, from: 'source' };
}
