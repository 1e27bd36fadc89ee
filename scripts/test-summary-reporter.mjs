// A node:test reporter that writes one JSON line per finished test (name, file, duration, outcome,
// skip reason) for scripts/run-tests.mjs to summarise: skips grouped by cause and the slowest tests.
// Tests run in a lane process (.tmp/run-PID/lane-N.lane.test.ts, see run-tests.mjs) are filed under their own
// test file: a lane wraps each file in a suite named by its path, which finishes after its tests.
// Lanes run side by side, so their events interleave: each lane keeps its own pending list.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const LANE = /[/\\]\.tmp[/\\]run-\d+[/\\]lane-\d+\.lane\.test\.ts$/;

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* summaryReporter(source) {
  /** @type {Map<string, Record<string, unknown>[]>} */
  const pendingByLane = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    const row = {
      name: d.name,
      file: d.file,
      nesting: d.nesting,
      kind: d.details?.type ?? 'test',
      ms: d.details?.duration_ms ?? 0,
      outcome:
        event.type === 'test:fail' ? 'fail' : d.skip !== undefined ? 'skip' : d.todo !== undefined ? 'todo' : 'pass',
      skip: typeof d.skip === 'string' ? d.skip : d.skip ? '(no reason given)' : undefined,
    };
    if (!LANE.test(d.file ?? '')) {
      yield `${JSON.stringify(row)}\n`;
      continue;
    }
    const pending = pendingByLane.get(d.file) ?? [];
    pendingByLane.set(d.file, pending);
    pending.push(row);
    if (d.nesting !== 0) continue;
    const file = resolve(root, d.name);
    for (const r of pending) yield `${JSON.stringify({ ...r, file })}\n`;
    pending.length = 0;
  }
}
