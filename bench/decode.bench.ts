/**
 * LaneATT decode of one [2784, 77] output (softmax, threshold, lane NMS, points, scaling).
 * Goal: median <= 1 ms per decode on the reference vectors with their own parameters.
 * Also reported (no goal): a worst case where every proposal passes the threshold.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LaneAttDecoder, type LaneAttOptions } from '../shared/lanes/laneatt';
import { summarize } from './stats';
import { VECTORS_DIR as VECTORS, readF32, readJson } from '../test/lanes/helpers';

const GOAL_MS = 1;

const inputs = readdirSync(VECTORS)
  .filter((n) => n.endsWith('.f32'))
  .sort()
  .map((n) => {
    const p = readJson(join(VECTORS, n.replace(/\.f32$/, '.json'))).params;
    const opts: LaneAttOptions = {
      conf: p.conf,
      nms: p.nms,
      topk: p.topk,
      origW: p.orig_w,
      origH: p.orig_h,
      scoresAreProbs: p.scores_are_probs,
    };
    return { name: n, raw: readF32(join(VECTORS, n)), opts };
  });

function measure(cases: typeof inputs, iterations: number): number[] {
  const decoder = new LaneAttDecoder();
  for (let i = 0; i < 300; i++) for (const c of cases) decoder.decode(c.raw, c.opts); // warm-up (JIT)
  const times: number[] = [];
  let sink = 0;
  for (let i = 0; i < iterations; i++) {
    const c = cases[i % cases.length];
    const t0 = performance.now();
    sink += decoder.decode(c.raw, c.opts).lanes.length;
    times.push(performance.now() - t0);
  }
  if (sink < 0) console.log(sink);
  return times;
}

const fmt = (v: number) => `${(v * 1000).toFixed(1)} us`;
console.log(`LaneATT decode, ${inputs[0].raw.length / 77} proposals, ${inputs.length} reference vectors`);
const all = summarize(measure(inputs, 3000 * 1));
for (const c of inputs) {
  const s = summarize(measure([c], 400));
  console.log(`  ${c.name.padEnd(32)} median ${fmt(s.median)}  p95 ${fmt(s.p95)}`);
}
const worst = summarize(
  measure(
    inputs.map((c) => ({ ...c, opts: { ...c.opts, conf: 0, topk: 5 } })),
    1000,
  ),
);
console.log(`  worst case (conf 0: all 2784 pass, topk 5)  median ${fmt(worst.median)}  p95 ${fmt(worst.p95)}`);
console.log(
  `all vectors: median ${fmt(all.median)}  p95 ${fmt(all.p95)}  min ${fmt(all.min)}  max ${fmt(all.max)}  (goal: median <= ${GOAL_MS} ms)`,
);
if (all.median > GOAL_MS) {
  console.log(`FAIL: median ${all.median.toFixed(3)} ms > ${GOAL_MS} ms`);
  process.exitCode = 1;
} else console.log('PASS');
