/**
 * Acceptance over every config in the shared corpus (496 real Triton configs): parse without
 * syntax/schema errors, lossless print, proto3 JSON equal to protobuf's reference output, and the
 * canonical outputs (formatModelConfig, printModelConfig) re-parse to the same JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedPath, skipUnlessShared } from '../helpers/shared';
import {
  formatModelConfig,
  fromProtoJson,
  parseModelConfig,
  printDocument,
  printModelConfig,
  toProtoJson,
} from '../../shared/pbtxt';

const corpus = sharedPath('triton/pbtxt-corpus');
const corpusSkip = skipUnlessShared('triton/pbtxt-corpus');
const OWNED = resolve(import.meta.dirname, '../fixtures/pbtxt');

/** Compare as JSON values (the reference files are JSON text). */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));

interface Entry {
  name: string;
  path: string;
  /** protobuf's proto3 JSON for the corpus; for our own fixtures, the JSON of their first parse. */
  expected(): unknown;
}

const listPbtxt = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.pbtxt'))
    .sort();
const corpusEntries: Entry[] = corpusSkip
  ? []
  : listPbtxt(join(corpus, 'files')).map((name) => ({
      name,
      path: join(corpus, 'files', name),
      expected: () => JSON.parse(readFileSync(join(corpus, 'json', name.replace(/\.pbtxt$/, '.json')), 'utf8')),
    }));
const ownedEntries: Entry[] = listPbtxt(OWNED).map((name) => ({
  name,
  path: join(OWNED, name),
  expected: () =>
    asJson(toProtoJson(parseModelConfig(readFileSync(join(OWNED, name), 'utf8'), { semantic: false }).config!)),
}));
/** Our own fixtures (test/fixtures/pbtxt) always, and the 496 real configs where ../shared has them. */
const entries = [...ownedEntries, ...corpusEntries];
const names = entries.map((e) => e.name);
const byName = new Map(entries.map((e) => [e.name, e]));
const textOf = (name: string) => readFileSync(byName.get(name)!.path, 'utf8');
const expectedJson = (name: string) => byName.get(name)!.expected();

test('the corpus is all there', { skip: corpusSkip }, () => {
  assert.equal(corpusEntries.length, 496);
});

test('our own fixtures are there and not empty', () => {
  assert.ok(ownedEntries.length >= 5);
  for (const e of ownedEntries) assert.ok(Object.keys(e.expected() as object).length > 3, e.name);
});

test('every corpus file parses without syntax or schema errors and prints back byte-identical', () => {
  const failures: string[] = [];
  for (const name of names) {
    const text = textOf(name);
    const r = parseModelConfig(text, { file: name, semantic: false });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.config || errors.length)
      failures.push(`${name}: ${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
    if (printDocument(r.doc) !== text) failures.push(`${name}: lossless print differs`);
  }
  assert.deepEqual(failures, []);
});

test('toProtoJson equals the reference proto3 JSON for every corpus file', { skip: corpusSkip }, () => {
  const failures: string[] = [];
  for (const { name } of corpusEntries) {
    const r = parseModelConfig(textOf(name), { file: name, semantic: false });
    try {
      assert.deepStrictEqual(asJson(toProtoJson(r.config!)), expectedJson(name));
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message.slice(0, 400)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('canonical format re-parses to the same JSON, and is idempotent', () => {
  const failures: string[] = [];
  for (const name of names) {
    const text = textOf(name);
    const formatted = formatModelConfig(text, { file: name });
    const again = parseModelConfig(formatted, { semantic: false });
    if (!again.config) {
      failures.push(`${name}: formatted text does not parse: ${again.diagnostics[0]?.message}`);
      continue;
    }
    try {
      assert.deepStrictEqual(asJson(toProtoJson(again.config)), expectedJson(name));
    } catch (err) {
      failures.push(`${name}: formatted JSON differs: ${(err as Error).message.slice(0, 300)}`);
    }
    if (formatModelConfig(formatted) !== formatted) failures.push(`${name}: format is not idempotent`);
    // Comments survive formatting.
    const comments = (s: string) => (s.match(/#[^\n]*/g) ?? []).map((c) => c.trimEnd());
    if (comments(formatted).join('\n') !== comments(text).join('\n')) failures.push(`${name}: comments changed`);
  }
  assert.deepEqual(failures, []);
});

test('printModelConfig and fromProtoJson round-trip every corpus config', () => {
  const failures: string[] = [];
  for (const name of names) {
    const expected = expectedJson(name);
    const config = fromProtoJson(expected, { file: name });
    const printed = printModelConfig(config);
    const back = parseModelConfig(printed, { semantic: false });
    try {
      assert.deepStrictEqual(asJson(toProtoJson(config)), expected);
      assert.ok(back.config, `printed text does not parse: ${back.diagnostics[0]?.message}`);
      assert.deepStrictEqual(asJson(toProtoJson(back.config)), expected);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message.slice(0, 300)}`);
    }
  }
  assert.deepEqual(failures, []);
});
