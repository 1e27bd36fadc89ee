/**
 * Acceptance over every config in the shared corpus (496 real Triton configs): parse without
 * syntax/schema errors, lossless print, proto3 JSON equal to protobuf's reference output, and the
 * canonical outputs (formatModelConfig, printModelConfig) re-parse to the same JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  formatModelConfig,
  fromProtoJson,
  parseModelConfig,
  printDocument,
  printModelConfig,
  toProtoJson,
} from '../../shared/pbtxt';

const corpus = resolve(import.meta.dirname, '../../../shared/triton/pbtxt-corpus');
const names = readdirSync(join(corpus, 'files'))
  .filter((n) => n.endsWith('.pbtxt'))
  .sort();

/** Compare as JSON values (the reference files are JSON text). */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));

function expectedJson(name: string): unknown {
  return JSON.parse(readFileSync(join(corpus, 'json', name.replace(/\.pbtxt$/, '.json')), 'utf8'));
}

test('the corpus is all there', () => {
  assert.equal(names.length, 496);
});

test('every corpus file parses without syntax or schema errors and prints back byte-identical', () => {
  const failures: string[] = [];
  for (const name of names) {
    const text = readFileSync(join(corpus, 'files', name), 'utf8');
    const r = parseModelConfig(text, { file: name, semantic: false });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.config || errors.length)
      failures.push(`${name}: ${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
    if (printDocument(r.doc) !== text) failures.push(`${name}: lossless print differs`);
  }
  assert.deepEqual(failures, []);
});

test('toProtoJson equals the reference proto3 JSON for every corpus file', () => {
  const failures: string[] = [];
  for (const name of names) {
    const r = parseModelConfig(readFileSync(join(corpus, 'files', name), 'utf8'), { file: name, semantic: false });
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
    const text = readFileSync(join(corpus, 'files', name), 'utf8');
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
