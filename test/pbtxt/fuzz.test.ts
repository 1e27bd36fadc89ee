/**
 * Seeded mutation fuzzing over the corpus: random deletions, insertions and duplications of
 * characters, tokens and lines (plus a few hostile shapes: deep nesting, huge numbers, control
 * characters). Every case must come back as diagnostics or PbtxtSyntaxError, never another
 * exception or a hang, and must still print back losslessly. The slowest case is reported; the
 * 50 ms bound here is only a loose guard (bench/pbtxt.bench.ts measures timing properly).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  PbtxtSyntaxError,
  formatModelConfig,
  parseModelConfig,
  printDocument,
  printModelConfig,
  toProtoJson,
  fromProtoJson,
} from '../../shared/pbtxt';
import { formatDocument } from '../../shared/pbtxt/format';
import { mulberry32 } from '../../scripts/lib/prng';
import { hasShared, sharedPath } from '../helpers/shared';

const corpus = sharedPath('triton/pbtxt-corpus/files');
const owned = resolve(import.meta.dirname, '../fixtures/pbtxt');
const readAll = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.pbtxt'))
    .sort()
    .map((n) => readFileSync(join(dir, n), 'utf8'));
/** Seeds: our own fixtures always, plus the real corpus where ../shared has it. */
const texts = [...readAll(owned), ...(hasShared('triton/pbtxt-corpus/files') ? readAll(corpus) : [])];

const SNIPPETS = [
  '{',
  '}',
  '<',
  '>',
  '[',
  ']',
  ':',
  ',',
  ';',
  '"',
  "'",
  '\\',
  '#',
  '-',
  '.',
  '0',
  '0x',
  '08',
  '1e',
  '1.5f',
  'e',
  '\n',
  ' ',
  '\t',
  'a',
  '_',
  'inf',
  '-nan',
  'TYPE_FP32',
  'KIND_GPU',
  'input',
  'dims',
  'key',
  'value',
  'true',
  't',
  '99999999999999999999999',
  '-2147483649',
  '"\\x',
  '"\\u12',
  '"\\777"',
  '\u00e9',
  '\ud83d\ude00',
  '\ud800',
  '\u0000',
  '\r',
  'max_batch_size: ',
  'input [',
  'dynamic_batching {',
  'parameters { key: "a" value { string_value: "b" } }',
  '{'.repeat(150),
  '['.repeat(150),
  'a {'.repeat(120),
  'dims: [ ',
  ', ]',
  '[ , ]',
  'value: [',
  '/',
  '[ext.x]: 1',
];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(arr: T[]) => arr[Math.floor(rnd() * arr.length)];
  const pos = () => Math.floor(rnd() * (text.length + 1));
  const ops = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < ops; k++) {
    const op = Math.floor(rnd() * 8);
    if (op === 0) {
      const p = pos();
      text = text.slice(0, p) + text.slice(p + 1 + Math.floor(rnd() * 4));
    } else if (op === 1) {
      const p = pos();
      text = text.slice(0, p) + pick(SNIPPETS) + text.slice(p);
    } else if (op === 2 || op === 3) {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      if (op === 2) lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)]);
      else lines.splice(i, 1 + Math.floor(rnd() * 3));
      text = lines.join('\n');
    } else if (op === 4) {
      // Duplicate or delete a token-ish run.
      const toks = text.split(/(\s+)/);
      const i = Math.floor(rnd() * toks.length);
      if (rnd() < 0.5) toks.splice(i, 0, toks[Math.floor(rnd() * toks.length)]);
      else toks.splice(i, 1);
      text = toks.join('');
    } else if (op === 5) {
      const p = pos();
      const len = Math.floor(rnd() * 40);
      text = text.slice(0, p) + text.slice(p, p + len) + text.slice(p);
    } else if (op === 6) {
      const p = pos();
      text = text.slice(0, p) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + text.slice(p);
    } else {
      const a = pos();
      const b = pos();
      text =
        text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b), Math.max(a, b) + 20) + text.slice(Math.min(a, b));
    }
  }
  return text;
}

const CASES = 20_000;
/**
 * formatModelConfig(text) is parse + formatDocument(doc), throwing when the parse has no config: the
 * cases format the document they already parsed (a third of a case's CPU was that second parse), and
 * every WRAPPER_EVERY-th case goes through the public wrapper too and must agree with it.
 */
const WRAPPER_EVERY = 16;

/** Everything a case runs; returns normally or throws PbtxtSyntaxError. */
function runCase(text: string, i: number): boolean {
  const r = parseModelConfig(text, { file: `case-${i}.pbtxt` });
  const viaWrapper = i % WRAPPER_EVERY === 0;
  assert.equal(printDocument(r.doc), text, `case ${i}: lossless print`);
  for (const d of r.diagnostics) {
    assert.ok(
      d.line >= 1 && d.column >= 1 && typeof d.message === 'string' && d.message.length > 0,
      `case ${i}: diagnostic shape`,
    );
  }
  if (r.config) {
    const json = toProtoJson(r.config);
    fromProtoJson(JSON.parse(JSON.stringify(json)));
    const formatted = formatDocument(r.doc);
    if (viaWrapper) assert.equal(formatModelConfig(text), formatted, `case ${i}: formatModelConfig`);
    assert.ok(parseModelConfig(formatted, { semantic: false }).config, `case ${i}: formatted text re-parses`);
    printModelConfig(r.config);
    return true;
  }
  if (viaWrapper) assert.throws(() => formatModelConfig(text), PbtxtSyntaxError);
  return false;
}

test(`${CASES} seeded mutations: no exception other than PbtxtSyntaxError, lossless print, bounded time`, () => {
  const rnd = mulberry32(0x7a17);
  let withConfig = 0;
  let withErrors = 0;
  const timings: { ms: number; index: number; text: string }[] = [];
  for (let i = 0; i < CASES; i++) {
    const text = mutate(texts[Math.floor(rnd() * texts.length)], rnd);
    const t0 = performance.now();
    try {
      if (runCase(text, i)) withConfig++;
      else withErrors++;
    } catch (err) {
      if (!(err instanceof PbtxtSyntaxError)) {
        throw new Error(
          `case ${i} threw ${(err as Error).stack}\n--- input ---\n${JSON.stringify(text).slice(0, 2000)}`,
          { cause: err },
        );
      }
      withErrors++;
    }
    const ms = performance.now() - t0;
    if (timings.length < 10 || ms > timings[timings.length - 1].ms) {
      timings.push({ ms, index: i, text });
      timings.sort((x, y) => y.ms - x.ms);
      timings.length = Math.min(timings.length, 10);
    }
  }
  // A single wall-clock sample includes GC pauses and other processes on this shared machine, so
  // the ten slowest cases are timed again (best of 3): that is the cost of the input itself.
  const retimed = timings.map(({ index, text, ms }) => {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      try {
        runCase(text, index);
      } catch {
        // PbtxtSyntaxError, already accepted above
      }
      best = Math.min(best, performance.now() - t0);
    }
    return { index, length: text.length, first: ms, best };
  });
  const slowest = retimed.reduce((a, b) => (b.best > a.best ? b : a));
  process.stdout.write(
    `# fuzz: ${CASES} cases, ${withConfig} parsed to a config, ${withErrors} with errors; slowest single sample ${timings[0].ms.toFixed(2)} ms (case #${timings[0].index}); slowest case re-timed: #${slowest.index} (${slowest.length} chars) ${slowest.best.toFixed(2)} ms\n`,
  );
  assert.ok(withConfig > 1000 && withErrors > 1000, 'the mutations exercise both valid and invalid inputs');
  assert.ok(slowest.best < 50, `slowest case #${slowest.index} takes ${slowest.best.toFixed(1)} ms`);
});
