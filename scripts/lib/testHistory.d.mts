// Types of testHistory.mjs for the TypeScript tests that import it.
export function updateHistory(
  previous: Record<string, number>,
  measured: Iterable<[string, number]>,
  failed: ReadonlySet<string>,
): Record<string, number>;
