// A hash of named files' names and contents, for stamps that say what a build was made from (the
// CLI's bundle, bin/cliBundle.mjs; the renderer's, scripts/lib/rendererBuild.mjs; the model worker
// bundled from the sources, electron/server/backends/workerSource.ts). Contents, not modification
// times: a checkout or a copy may leave a changed file with an older time.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} root the repository @param {readonly string[]} inputs paths relative to it
 * @returns {string} a hash of the inputs' names and contents ('' if one is missing)
 */
export function inputsHash(root, inputs) {
  const hash = createHash('sha256');
  for (const input of [...inputs].sort()) {
    const p = join(root, input);
    if (!existsSync(p)) return '';
    hash.update(input).update('\0').update(readFileSync(p)).update('\0');
  }
  return hash.digest('hex');
}
