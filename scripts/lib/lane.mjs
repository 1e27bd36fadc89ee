// One test lane of scripts/run-tests.mjs: a process that runs test files one after the other, taking
// each from the run's queue (laneQueue.mjs) when it is done with the last.
//
// node:test builds a suite when describe() is called, and the lane's suites are all declared when the
// lane starts, so a lane cannot simply import "the next file" there. It declares one suite per queue
// entry ("slots"); slot k's body first waits until slot k-1 has run (its after hook), then claims a
// file, and imports it inside a suite named by the file's path. The root runs slot k only once that
// body is done. Slots left without a file end empty; scripts/lib/laneEvents.mjs hides them from the
// reporters, so the reports show one suite per test file, as before.
//
// The wait is a promise made inside the slot's body on purpose: node:test files the tests that a file
// declares under the suite whose async context is current, and a continuation after awaiting a
// promise made elsewhere (the previous slot's) runs in that promise's context, which is not this slot.
import { after, afterEach, before, beforeEach, describe } from 'node:test';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { queueClaimer } from './laneQueue.mjs';
import { fileCpu } from '../test-cpu-hook.mjs';
import { SLOT_PREFIX } from './laneEvents.mjs';

/**
 * @param {{ root: string, runDir: string, prefer: string, slots: number }} options
 *   root: the repository (queue entries are relative to it)
 */
export function runLane({ root, runDir, prefer, slots }) {
  const claimNext = queueClaimer(runDir, prefer);
  /** @type {Promise<void>} */
  let previousDone = Promise.resolve();
  for (let slot = 0; slot < slots; slot++) {
    const previous = previousDone;
    /** @type {() => void} */
    let done = () => undefined;
    previousDone = new Promise((resolve) => (done = resolve));
    describe(`${SLOT_PREFIX}${slot}`, async () => {
      await new Promise((resolve) => void previous.then(resolve));
      const file = claimNext();
      if (!file) {
        done();
        return;
      }
      after(done);
      describe(file, async () => {
        const cpu = fileCpu(file);
        before(cpu.start);
        beforeEach(cpu.testStart);
        afterEach(cpu.testStop);
        try {
          await import(pathToFileURL(join(root, file)).href);
        } finally {
          after(cpu.stop);
        }
      });
    });
  }
}
