/**
 * Measure the demo lane model on the demo assets (run scripts/demo/build.ts first):
 *   node --import tsx scripts/demo/evaluate-cli.ts [--fp16] [--video-step N]
 * Prints TuSimple accuracy / FP / FN for the still scenes and the video frames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_DIR, DEMO_REPO_DIR, MODEL_FILES } from './build';
import { evaluateLaneModel, rawToPng, readVideoFrames } from './evaluate';
import type { TuSimpleRecord } from './scene';

const { values } = parseArgs({
  options: {
    fp16: { type: 'boolean', default: false },
    'video-step': { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
  },
});
const fp16 = values.fp16;
const model = new Uint8Array(
  readFileSync(join(DEMO_REPO_DIR, fp16 ? MODEL_FILES.lane_demo_fp16 : MODEL_FILES.lane_demo)),
);
const lines = (f: string): TuSimpleRecord[] =>
  readFileSync(join(DEMO_DIR, f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TuSimpleRecord);

const sceneGt = lines('scenes/labels.json');
const scenes = await evaluateLaneModel(
  model,
  sceneGt.map((gt) => ({ image: join(DEMO_DIR, gt.raw_file), gt })),
  { fp16 },
);
const report = (label: string, r: typeof scenes): void => {
  console.log(
    `${label}: frames ${r.score.frames.length}  accuracy ${r.score.accuracy.toFixed(4)}  FP ${r.score.fp.toFixed(3)}  FN ${r.score.fn.toFixed(3)}  F1 ${r.score.f1.toFixed(3)}  model ${r.msPerFrame.toFixed(0)} ms/frame`,
  );
  if (values.verbose)
    for (const f of r.score.frames)
      console.log(
        `  ${f.raw_file} acc ${f.accuracy.toFixed(3)} lanes ${f.lineAccuracies.map((a) => a.toFixed(2)).join(' ')} fp ${f.fpCount}${f.rejected ? ' REJECTED' : ''}`,
      );
};
report(`scenes${fp16 ? ' (fp16)' : ''}`, scenes);

const videoGt = lines('video/labels.json');
const frames = await readVideoFrames(join(DEMO_DIR, 'video/road.mp4'), { step: Number(values['video-step']) });
const video = await evaluateLaneModel(
  model,
  await Promise.all(frames.map(async (f) => ({ image: await rawToPng(f.rgb), gt: videoGt[f.index] }))),
  { fp16 },
);
report(`video (mp4)${fp16 ? ' (fp16)' : ''}`, video);
