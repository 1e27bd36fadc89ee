// A node:test reporter that writes one JSON line per finished test (name, file, duration, outcome,
// skip reason) for scripts/run-tests.mjs to summarise: skips grouped by cause and the slowest tests.

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* summaryReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    yield `${JSON.stringify({
      name: d.name,
      file: d.file,
      nesting: d.nesting,
      kind: d.details?.type ?? 'test',
      ms: d.details?.duration_ms ?? 0,
      outcome:
        event.type === 'test:fail' ? 'fail' : d.skip !== undefined ? 'skip' : d.todo !== undefined ? 'todo' : 'pass',
      skip: typeof d.skip === 'string' ? d.skip : d.skip ? '(no reason given)' : undefined,
    })}\n`;
  }
}
