/**
 * The test runner's lanes (scripts/lib/lane.mjs, laneQueue.mjs, laneEvents.mjs): lanes take their
 * files from one queue as they get free, each file runs once, each test is filed under its own file,
 * and the reporters see one suite per file (the lanes' slot suites taken out).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { queueClaimer, writeQueue } from '../../scripts/lib/laneQueue.mjs';
import { SLOT_PREFIX, withoutLaneSlots, type TestEvent } from '../../scripts/lib/laneEvents.mjs';
import { makeTempDir } from '../helpers/tempDir';

const ROOT = resolve(import.meta.dirname, '../..');

test('two lanes claiming from one queue: every file once, each lane its preferred kind first', () => {
  const tmp = makeTempDir('tritonscope-queue-');
  try {
    const kinds = ['browser', 'other', 'browser', 'other', 'other', 'browser', 'other'];
    writeQueue(
      tmp.dir,
      kinds.map((kind, i) => ({ file: `f${i}`, kind })),
    );
    const browserLane = queueClaimer(tmp.dir, 'browser');
    const otherLane = queueClaimer(tmp.dir, 'other');
    // Alternating claims, as two lanes getting free in turn.
    const got: { browser: string[]; other: string[] } = { browser: [], other: [] };
    for (let i = 0; i < 6; i++) {
      const b = browserLane();
      const o = otherLane();
      if (b) got.browser.push(b);
      if (o) got.other.push(o);
    }
    // The browser lane takes f0, f2, f5 (its kind, in queue order), then helps with what is left.
    assert.deepEqual(got.browser.slice(0, 3), ['f0', 'f2', 'f5']);
    assert.deepEqual(got.other.slice(0, 3), ['f1', 'f3', 'f4']);
    const all = [...got.browser, ...got.other].sort();
    assert.deepEqual(all, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6'], 'every file once, none twice');
    assert.equal(browserLane(), null);
    assert.equal(otherLane(), null);
  } finally {
    tmp.cleanup();
  }
});

test('reporter view: slot suites and their plans go, what is inside them moves up a level; own-process files stay', async () => {
  const lane = join(ROOT, 'scripts/lib/lane.mjs');
  const own = '/repo/test/server/soak.test.ts';
  const events: TestEvent[] = [
    { type: 'test:start', data: { name: `${SLOT_PREFIX}0`, nesting: 0, file: lane } },
    { type: 'test:start', data: { name: 'test/a.test.ts', nesting: 1, file: lane } },
    { type: 'test:pass', data: { name: 'parses', nesting: 2, file: '/repo/test/a.test.ts' } },
    { type: 'test:plan', data: { nesting: 2, file: lane, count: 1 } },
    { type: 'test:pass', data: { name: 'test/a.test.ts', nesting: 1, file: lane } },
    { type: 'test:plan', data: { nesting: 1, file: lane, count: 1 } },
    { type: 'test:pass', data: { name: `${SLOT_PREFIX}0`, nesting: 0, file: lane } },
    { type: 'test:pass', data: { name: `${SLOT_PREFIX}1`, nesting: 0, file: lane } },
    { type: 'test:plan', data: { nesting: 0, file: lane, count: 2 } },
    { type: 'test:pass', data: { name: 'soak inner', nesting: 1, file: own } },
    { type: 'test:pass', data: { name: 'soak', nesting: 0, file: own } },
    { type: 'test:diagnostic', data: { message: 'tests 3' } },
  ];
  async function* source() {
    yield* events;
  }
  const out: TestEvent[] = [];
  for await (const e of withoutLaneSlots(source(), new Set([own]))) out.push(e);
  assert.deepEqual(
    out.map((e) => `${e.type} ${String(e.data.name ?? e.data.message ?? '')}@${String(e.data.nesting ?? '-')}`),
    [
      'test:start test/a.test.ts@0',
      'test:pass parses@1',
      'test:plan @1',
      'test:pass test/a.test.ts@0',
      'test:pass soak inner@1',
      'test:pass soak@0',
      'test:diagnostic tests 3@-',
    ],
  );
});

test('lanes over real files: each file runs once in some lane, its tests (also after an await) filed under it', () => {
  const tmp = makeTempDir('tritonscope-lanes-');
  try {
    const runDir = join(tmp.dir, '.tmp', 'run-1');
    mkdirSync(runDir, { recursive: true });
    const files = ['a', 'b', 'c', 'd'].map((n) => `t/${n}.test.mjs`);
    mkdirSync(join(tmp.dir, 't'));
    for (const [i, f] of files.entries())
      writeFileSync(
        join(tmp.dir, f),
        [
          "import { describe, it } from 'node:test';",
          // A file that awaits before declaring: its tests must still be filed under it.
          'await new Promise((r) => setTimeout(r, 20));',
          `describe('suite ${i}', () => { it('test ${i}', async () => { await new Promise((r) => setTimeout(r, ${i * 30})); }); });`,
          '',
        ].join('\n'),
      );
    writeQueue(
      runDir,
      files.map((file, i) => ({ file, kind: i % 2 ? 'other' : 'browser' })),
    );
    const laneFiles = [0, 1].map((i) => {
      const p = join(runDir, `lane-${i + 1}.lane.test.mjs`);
      const options = { root: tmp.dir, runDir, prefer: i ? 'other' : 'browser', slots: files.length };
      writeFileSync(
        p,
        `import { runLane } from ${JSON.stringify(join(ROOT, 'scripts/lib/lane.mjs'))};\nrunLane(${JSON.stringify(options)});\n`,
      );
      return p;
    });
    const summary = join(tmp.dir, 'summary.jsonl');
    // A run of its own, not a child of the run this test is in (nor writing into its CPU records).
    const env: NodeJS.ProcessEnv = { ...process.env, TEST_OWN_PROCESS_FILES: '' };
    delete env['NODE_TEST_CONTEXT'];
    delete env['TEST_CPU_FILE'];
    const r = spawnSync(
      process.execPath,
      [
        '--test',
        '--test-concurrency=2',
        `--test-reporter=${join(ROOT, 'scripts/test-summary-reporter.mjs')}`,
        `--test-reporter-destination=${summary}`,
        ...laneFiles,
      ],
      { cwd: tmp.dir, encoding: 'utf8', env },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const rows = readFileSync(summary, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { name: string; file: string; nesting: number; kind: string });
    // Each file's suite (named by its path) at the top, filed under the file itself.
    const fileSuites = rows.filter((row) => row.nesting === 0).map((row) => row.file);
    assert.deepEqual(
      [...fileSuites].sort(),
      files.map((f) => resolve(ROOT, f)).sort(),
      'one top-level suite per file, none for the slots',
    );
    for (const [i, f] of files.entries()) {
      const leaf = rows.find((row) => row.name === `test ${i}`);
      assert.ok(leaf, `test ${i} ran`);
      assert.equal(leaf.nesting, 2, `test ${i} sits in its file's suite, not at the top`);
      assert.equal(leaf.file, join(tmp.dir, f));
      assert.equal(rows.filter((row) => row.name === `test ${i}`).length, 1, `test ${i} ran once`);
    }
    assert.ok(!rows.some((row) => row.name.startsWith(SLOT_PREFIX)), 'no slot suite reported');
  } finally {
    tmp.cleanup();
  }
});
