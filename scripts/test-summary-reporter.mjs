// A node:test reporter that writes one JSON line per finished test (name, file, duration, outcome,
// skip reason) for scripts/run-tests.mjs to summarise: skips grouped by cause and the slowest tests.
// Tests run in a lane process (.tmp/run-PID/lane-N.lane.test.ts, see run-tests.mjs) are filed under their own
// test file, and so is the suite named by a file's path that a lane runs the file in (lib/lane.mjs;
// lib/laneEvents.mjs takes out the lane's slot suites around it).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLaneSuite, withoutLaneSlots } from './lib/laneEvents.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* summaryReporter(source) {
  for await (const event of withoutLaneSlots(source)) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    yield `${JSON.stringify({
      name: d.name,
      file: isLaneSuite(d.file) ? resolve(root, d.name) : d.file,
      nesting: d.nesting,
      kind: d.details?.type ?? 'test',
      ms: d.details?.duration_ms ?? 0,
      outcome:
        event.type === 'test:fail' ? 'fail' : d.skip !== undefined ? 'skip' : d.todo !== undefined ? 'todo' : 'pass',
      skip: typeof d.skip === 'string' ? d.skip : d.skip ? '(no reason given)' : undefined,
    })}\n`;
  }
}
