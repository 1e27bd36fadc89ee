// Whether dist/renderer was built from the sources as they are now. The build writes a hash of its
// inputs (renderer/, shared/, the lockfile) beside the bundle; a build is needed when the stamp is
// missing or differs. Content, not mtimes: a fresh clone or a checkout gives every file a new mtime,
// and an edit undone leaves a newer mtime for the same bytes.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inputsHash } from '../../bin/inputsHash.mjs';

const INPUTS = ['renderer', 'shared', 'package-lock.json'];
const STAMP = 'dist/renderer/.source-hash';

/** @param {string} dir @returns {string[]} */
function files(dir) {
  if (!existsSync(dir)) return [];
  /** @type {string[]} */
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

/** @param {string} root the repository root */
export function rendererSourceHash(root) {
  const list = INPUTS.flatMap((input) => {
    const p = join(root, input);
    return input.includes('.') ? (existsSync(p) ? [p] : []) : files(p);
  });
  return inputsHash(
    root,
    list.map((f) => relative(root, f)),
  );
}

/** @param {string} root */
export function rendererBuildIsCurrent(root) {
  const stamp = join(root, STAMP);
  return (
    existsSync(join(root, 'dist/renderer/index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === rendererSourceHash(root)
  );
}

/** Records the sources the bundle in dist/renderer was just built from. @param {string} root */
export function stampRendererBuild(root) {
  writeFileSync(join(root, STAMP), rendererSourceHash(root));
}
