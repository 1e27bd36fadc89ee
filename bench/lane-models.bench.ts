/**
 * Inference time of the demo lane models in onnxruntime-node, side by side in one run: the trained
 * LaneATT (laneDetect_model, FP32), its FP16 twin (LaneDet_fp16) and, as the named baseline, the old
 * hand-written "classical" ONNX graph (scripts/demo/laneModel.ts, built in memory; no longer served).
 * One [1,3,360,640] input (a demo scene, LaneATT preprocessing), 2 intra-op threads (the machine's
 * cores, no spin-waiting between runs). Runs rotate between the models after a warm-up, so load
 * changes on the shared machine hit all three alike. Goal: FP32 median <= 30 ms and <= 0.1 x the old graph's median.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { buildDemoAssets, DEMO_DIR, DEMO_REPO_DIR, TRAINED_MODEL_FILES } from '../scripts/demo/build';
import { imageToInput, toFloat16 } from '../scripts/demo/evaluate';
import { buildLaneModel } from '../scripts/demo/laneModel';
import { summarize } from './stats';

const WARMUP = 3;
const ROUNDS = Number(process.env['LANE_BENCH_ROUNDS'] ?? 25);
const GOAL_MS = 30;
const GOAL_RATIO = 0.1;

await buildDemoAssets({ log: () => {} });
const input = await imageToInput(join(DEMO_DIR, 'scenes/scene_01.jpg'));
// No spin-waiting: after a run, ORT's intra-op threads spin for more work by default, and in this
// rotation they spun on through the next model's timed run. The FP32 model, run right after the
// 120 ms old graph, measured a median of 13-19 ms with spinning and 8.3-9.8 ms without, in
// alternating runs on the same machine (the old graph's own figure moved within its noise).
const opts: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};
const models = [
  {
    name: 'laneDetect_model (FP32, trained LaneATT)',
    session: await ort.InferenceSession.create(
      readFileSync(join(DEMO_REPO_DIR, TRAINED_MODEL_FILES.laneDetect_model)),
      opts,
    ),
    feed: { input: new ort.Tensor('float32', input, [1, 3, 360, 640]) },
  },
  {
    name: 'LaneDet_fp16 (FP16 twin)',
    session: await ort.InferenceSession.create(
      readFileSync(join(DEMO_REPO_DIR, TRAINED_MODEL_FILES.LaneDet_fp16)),
      opts,
    ),
    feed: { input: new ort.Tensor('float16', toFloat16(input), [1, 3, 360, 640]) },
  },
  {
    name: 'old classical graph (baseline)',
    session: await ort.InferenceSession.create(buildLaneModel('fp32'), opts),
    feed: { input: new ort.Tensor('float32', input, [1, 3, 360, 640]) },
  },
];
const times: number[][] = models.map(() => []);
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const [i, m] of models.entries()) {
    const t0 = performance.now();
    await m.session.run(m.feed);
    if (round >= WARMUP) times[i].push(performance.now() - t0);
  }
}
const stats = times.map(summarize);
for (const [i, m] of models.entries()) {
  const s = stats[i];
  console.log(
    `${m.name.padEnd(42)} median ${s.median.toFixed(1).padStart(7)} ms  p95 ${s.p95.toFixed(1).padStart(7)} ms  min ${s.min.toFixed(1).padStart(7)} ms`,
  );
  await m.session.release();
}
const fp32 = stats[0].median;
const ratio = fp32 / stats[2].median;
console.log(
  `FP32 median ${fp32.toFixed(1)} ms (goal <= ${GOAL_MS} ms), ${ratio.toFixed(3)} x the old graph (goal <= ${GOAL_RATIO})`,
);
process.exitCode = fp32 <= GOAL_MS && ratio <= GOAL_RATIO ? 0 : 1;
