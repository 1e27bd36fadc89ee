// Node's spec reporter over the lanes' events with their slot suites taken out
// (scripts/lib/laneEvents.mjs): the console shows one suite per test file.
import { Readable } from 'node:stream';
import { spec as Spec } from 'node:test/reporters';
import { withoutLaneSlots } from './lib/laneEvents.mjs';

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* specReporter(source) {
  yield* Readable.from(withoutLaneSlots(source)).pipe(new Spec());
}
