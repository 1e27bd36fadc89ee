/**
 * config.pbtxt parsing speed. Goal: parse + bind + validate a 5,000-line config in < 20 ms
 * (median). The config is assembled from real corpus content (many inputs/outputs, instance
 * groups, parameters, comments), so it exercises every path of the parser. Also reports the
 * mutation-fuzz worst case over a 20k-case run (same generator idea as test/pbtxt/fuzz.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PbtxtSyntaxError, formatModelConfig, parseModelConfig } from '../shared/pbtxt';
import { mulberry32 } from '../scripts/lib/prng';
import { summarize } from './stats';

const corpus = resolve(import.meta.dirname, '../../shared/triton/pbtxt-corpus/files');
const texts = readdirSync(corpus)
  .sort()
  .map((n) => readFileSync(join(corpus, n), 'utf8'));

/** The bodies of `input [...]`/`output [...]` etc. from the corpus, renamed to stay unique. */
function buildBigConfig(targetLines: number): string {
  const blocks: string[] = [];
  let n = 0;
  for (const t of texts) {
    const r = parseModelConfig(t, { semantic: false });
    if (!r.config) continue;
    for (const f of r.doc.fields) {
      const name = f.name.text;
      if (!['input', 'output', 'instance_group', 'parameters', 'model_warmup', 'batch_input'].includes(name)) continue;
      blocks.push(
        t
          .slice(f.start, f.sep ? f.sep.end : f.end)
          .replace(/name: "([^"]*)"/g, (_m, s) => `name: "${s}_${n++}"`)
          .replace(/key: "([^"]*)"/g, (_m, s) => `key: "${s}_${n++}"`),
      );
    }
  }
  let out =
    '# benchmark config assembled from the corpus\nname: "big"\nbackend: "onnxruntime"\nmax_batch_size: 8\ndynamic_batching { preferred_batch_size: [ 2, 4, 8 ] max_queue_delay_microseconds: 100 }\n';
  let i = 0;
  while (out.split('\n').length < targetLines) out += blocks[i++ % blocks.length] + '\n';
  // Trim to exactly the target at a field boundary is not needed; report the real count.
  return out;
}

const text = buildBigConfig(5000);
const lines = text.split('\n').length;
const check = parseModelConfig(text);
if (!check.config) throw new Error(`benchmark config does not parse: ${check.diagnostics[0]?.message}`);

const WARMUP = 20;
const RUNS = 100;
for (let i = 0; i < WARMUP; i++) parseModelConfig(text);
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  parseModelConfig(text);
  times.push(performance.now() - t0);
}
const { median, p95, min } = summarize(times);

const fmtTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  formatModelConfig(text);
  fmtTimes.push(performance.now() - t0);
}

// Fuzz worst case: mutate corpus files, time parse+validate per case; retime the 10 slowest.
const rnd = mulberry32(42);
const SNIPPETS = [
  '{',
  '}',
  '<',
  '>',
  '[',
  ']',
  ':',
  '"',
  '#',
  '-',
  '0x',
  '\n',
  'inf',
  'input [',
  '{'.repeat(150),
  'a {'.repeat(120),
  '"\\x',
];
const slow: { ms: number; text: string }[] = [];
for (let i = 0; i < 20_000; i++) {
  let t = texts[Math.floor(rnd() * texts.length)];
  const p = Math.floor(rnd() * t.length);
  const op = rnd();
  if (op < 0.4) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(rnd() * 5));
  else if (op < 0.8) t = t.slice(0, p) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + t.slice(p);
  else {
    const ls = t.split('\n');
    ls.splice(Math.floor(rnd() * ls.length), 0, ls[Math.floor(rnd() * ls.length)]);
    t = ls.join('\n');
  }
  const t0 = performance.now();
  try {
    parseModelConfig(t);
  } catch (err) {
    if (!(err instanceof PbtxtSyntaxError)) throw err;
  }
  const ms = performance.now() - t0;
  slow.push({ ms, text: t });
  slow.sort((a, b) => b.ms - a.ms);
  slow.length = Math.min(slow.length, 10);
}
const fuzzMaxSample = slow[0].ms;
const fuzzMax = Math.max(
  ...slow.map(({ text: t }) => {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      parseModelConfig(t);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }),
);

const GOAL_MS = 20;
process.stdout.write(
  [
    `pbtxt: parse+bind+validate a ${lines}-line config (${(text.length / 1024).toFixed(0)} KiB, ${check.diagnostics.length} diagnostics)`,
    `  median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, min ${min.toFixed(2)} ms over ${RUNS} runs (goal: median < ${GOAL_MS} ms)`,
    `  canonical format of the same config: median ${summarize(fmtTimes).median.toFixed(2)} ms`,
    `  fuzz (20k mutated corpus files): slowest single sample ${fuzzMaxSample.toFixed(2)} ms; slowest case re-timed (best of 3) ${fuzzMax.toFixed(2)} ms (guard: < 50 ms)`,
  ].join('\n') + '\n',
);
if (median >= GOAL_MS || fuzzMax >= 50) {
  process.stdout.write('GOAL MISSED\n');
  process.exitCode = 1;
}
