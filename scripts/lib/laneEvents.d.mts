// Types of laneEvents.mjs for the TypeScript tests that import it.
export interface TestEvent {
  type: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- node:test's event payloads differ by type
}
export const SLOT_PREFIX: string;
export function isLaneSuite(file: string | undefined): boolean;
export function withoutLaneSlots(
  source: AsyncIterable<TestEvent>,
  ownProcess?: ReadonlySet<string>,
): AsyncGenerator<TestEvent>;
