// The queue the test lanes of scripts/run-tests.mjs take their files from, one file at a time, each
// when it is done with the last (instead of lists dealt out before the run: a file's wall time on a
// busy machine is not known in advance, and dealt lanes ended up to 19 s apart, one core idle).
//
// The queue is a JSON list in the run's directory; a lane claims entry i by creating the directory
// claims/i there (mkdir is atomic: of two lanes trying at once, one gets EEXIST), so lanes need no
// messages between them. Each lane prefers one kind of file (browser tests or the rest) while any is
// left: a lane running a browser test that waits for a page leaves the core to a lane computing,
// where two lanes of browser tests would wait (and render) together.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ file: string, kind: string }} QueueEntry */

/**
 * Writes the queue, in the order the files should be taken (the longest first).
 * @param {string} runDir @param {QueueEntry[]} entries
 */
export function writeQueue(runDir, entries) {
  mkdirSync(join(runDir, 'claims'), { recursive: true });
  writeFileSync(join(runDir, 'queue.json'), JSON.stringify(entries));
}

/**
 * A claimer for one lane: each call returns the next unclaimed file, of the `prefer` kind while
 * there is one, else of any kind; null when every file is taken.
 * @param {string} runDir @param {string} prefer
 * @returns {() => string | null}
 */
export function queueClaimer(runDir, prefer) {
  /** @type {QueueEntry[]} */
  const entries = JSON.parse(readFileSync(join(runDir, 'queue.json'), 'utf8'));
  /** Entries this lane saw taken (by itself or another): never tried again. */
  const taken = new Set();
  /** @param {number} i */
  const claim = (i) => {
    if (taken.has(i)) return false;
    taken.add(i);
    try {
      mkdirSync(join(runDir, 'claims', String(i)));
      return true;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code === 'EEXIST') return false;
      throw e;
    }
  };
  return () => {
    for (const pass of ['preferred', 'any'])
      for (let i = 0; i < entries.length; i++) {
        if (pass === 'preferred' && entries[i].kind !== prefer) continue;
        if (claim(i)) return entries[i].file;
      }
    return null;
  };
}
