// The reporters' view of the test lanes (scripts/lib/lane.mjs): a lane's top-level suites are "slots",
// each holding at most one suite named by a test file's path. The slots are machinery, not tests: this
// drops their events (and the plans that count them) and lifts everything inside them one level, so
// each test file's suite is a top-level suite, as if the lane had declared it.
//
// node:test gives each event the file where its test was declared: the slots and the file suites are
// declared in lane.mjs, the tests in their own files. A test file that runs in a process of its own
// (run-tests.mjs lists them in TEST_OWN_PROCESS_FILES) is not inside a slot and keeps its levels.

/** The name of a lane's slot suites (followed by the slot's number). */
export const SLOT_PREFIX = 'lane slot ';

/** @param {string | undefined} file an event's file @returns {boolean} declared by the lane machinery */
export const isLaneSuite = (file) => /[/\\]scripts[/\\]lib[/\\]lane\.mjs$/.test(file ?? '');

/**
 * @param {AsyncIterable<{ type: string, data: any }>} source
 * @param {ReadonlySet<string>} [ownProcess] absolute paths of the test files that run in their own process
 * @returns {AsyncGenerator<{ type: string, data: any }>}
 */
export async function* withoutLaneSlots(source, ownProcess = ownProcessFiles()) {
  for await (const event of source) {
    const d = event.data;
    if (!d || typeof d.nesting !== 'number' || d.file === undefined || ownProcess.has(d.file)) {
      yield event;
      continue;
    }
    if (isLaneSuite(d.file) && d.nesting === 0) continue; // a slot, or the plan of a lane's slots
    if (isLaneSuite(d.file) && event.type === 'test:plan' && d.nesting === 1) continue; // a slot's plan
    yield { ...event, data: { ...d, nesting: Math.max(0, d.nesting - 1) } };
  }
}

/** @returns {Set<string>} */
function ownProcessFiles() {
  return new Set((process.env.TEST_OWN_PROCESS_FILES ?? '').split('\n').filter(Boolean));
}
