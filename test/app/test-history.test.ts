/**
 * scripts/lib/testHistory.mjs: the per-file figures the test runner orders its queue by. A failed
 * file keeps its earlier figure (a run that broke early measured a fraction of its work).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { updateHistory } from '../../scripts/lib/testHistory.mjs';

test('a passing file takes its new figure (several records summed); a failed one keeps the old; others stay', () => {
  const previous = { 'test/a.test.ts': 9000, 'test/b.test.ts': 4000, 'test/c.test.ts': 1000 };
  const next = updateHistory(
    previous,
    [
      ['test/a.test.ts', 300],
      ['test/b.test.ts', 2500],
      ['test/b.test.ts', 500],
      ['test/new.test.ts', 700],
    ],
    new Set(['test/a.test.ts']),
  );
  assert.deepEqual(next, {
    'test/a.test.ts': 9000,
    'test/b.test.ts': 3000,
    'test/c.test.ts': 1000,
    'test/new.test.ts': 700,
  });
  assert.equal(previous['test/b.test.ts'], 4000, 'the previous record is not changed in place');
});

test('a file that failed in its first run gets no figure (queued by the baseline or a guess instead)', () => {
  assert.deepEqual(updateHistory({}, [['test/x.test.ts', 50]], new Set(['test/x.test.ts'])), {});
});
