/**
 * The demo lane model finds the lanes of the demo scenes: run with onnxruntime-node, decoded with
 * the app's LaneATT decoder (TuSimple settings conf 0.2, nms 45, topk 5) and scored with the
 * official TuSimple metric (shared/lanes). It looks at the image: a blank road gives no lanes and
 * a mirrored scene gives mirrored lanes. The FP16 twin agrees with the FP32 model.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import { buildDemoAssets, DEMO_DIR, DEMO_REPO_DIR, MODEL_FILES } from '../../scripts/demo/build';
import {
  evaluateLaneModel,
  imageToInput,
  rawToPng,
  rawToTusimple,
  readVideoFrames,
  runLaneModel,
  TUSIMPLE_DECODE,
} from '../../scripts/demo/evaluate';
import { tusimpleAccuracy } from '../../shared/lanes/tusimpleMetric';
import type { TuSimpleRecord } from '../../scripts/demo/scene';

const lines = (f: string): TuSimpleRecord[] =>
  readFileSync(join(DEMO_DIR, f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TuSimpleRecord);
let fp32: Uint8Array;
let sceneGt: TuSimpleRecord[];

before(async () => {
  await buildDemoAssets({ log: () => {} });
  fp32 = new Uint8Array(readFileSync(join(DEMO_REPO_DIR, MODEL_FILES.lane_demo)));
  sceneGt = lines('scenes/labels.json');
});

test('TuSimple accuracy >= 0.9 on the still scenes (JPEG -> 640x360 -> model -> LaneATT decode)', async () => {
  const r = await evaluateLaneModel(
    fp32,
    sceneGt.map((gt) => ({ image: join(DEMO_DIR, gt.raw_file), gt })),
  );
  console.log(
    `# scenes: accuracy ${r.score.accuracy.toFixed(4)} FP ${r.score.fp.toFixed(3)} FN ${r.score.fn.toFixed(3)} (${r.msPerFrame.toFixed(0)} ms/frame)`,
  );
  assert.equal(r.score.frames.length, 16);
  assert.ok(r.score.accuracy >= 0.9, `accuracy ${r.score.accuracy}`);
  assert.ok(
    r.score.frames.every((f) => !f.rejected),
    'no frame has more than gt + 2 lanes',
  );
});

test('TuSimple accuracy >= 0.9 on frames decoded from the MP4 drive', async () => {
  const gt = lines('video/labels.json');
  const frames = await readVideoFrames(join(DEMO_DIR, 'video/road.mp4'), { step: 3 });
  assert.equal(frames.length, Math.ceil(gt.length / 3));
  const r = await evaluateLaneModel(
    fp32,
    await Promise.all(frames.map(async (f) => ({ image: await rawToPng(f.rgb), gt: gt[f.index] }))),
  );
  console.log(
    `# video: accuracy ${r.score.accuracy.toFixed(4)} FP ${r.score.fp.toFixed(3)} FN ${r.score.fn.toFixed(3)} over ${frames.length} frames`,
  );
  assert.ok(r.score.accuracy >= 0.9, `accuracy ${r.score.accuracy}`);
});

test('it looks at the image: a plain road has no lanes, a mirrored scene has mirrored lanes', async () => {
  const session = await ort.InferenceSession.create(fp32);
  try {
    const plain = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 90, g: 90, b: 92 } } })
      .png()
      .toBuffer();
    const none = decodeLaneAtt(await runLaneModel(session, await imageToInput(plain)), TUSIMPLE_DECODE);
    assert.equal(none.lanes.length, 0);

    const mirroredGt: TuSimpleRecord[] = [];
    const preds = [];
    for (const gt of sceneGt.slice(0, 6)) {
      const flipped = await sharp(join(DEMO_DIR, gt.raw_file)).flop().png().toBuffer();
      const raw = await runLaneModel(session, await imageToInput(flipped));
      preds.push(rawToTusimple(raw, gt.raw_file, gt.h_samples));
      mirroredGt.push({ ...gt, lanes: gt.lanes.map((l) => l.map((x) => (x < 0 ? x : 1279 - x))) });
    }
    const score = tusimpleAccuracy(preds, mirroredGt);
    assert.ok(score.accuracy >= 0.85, `mirrored accuracy ${score.accuracy}`);
  } finally {
    await session.release();
  }
});

test('FP16 twin: same lanes as FP32 (within a pixel) and the same accuracy bar', async () => {
  const fp16 = new Uint8Array(readFileSync(join(DEMO_REPO_DIR, MODEL_FILES.lane_demo_fp16)));
  const s32 = await ort.InferenceSession.create(fp32);
  const s16 = await ort.InferenceSession.create(fp16);
  assert.equal(s16.inputNames[0], 'input');
  try {
    let compared = 0;
    for (const gt of sceneGt.slice(0, 8)) {
      const input = await imageToInput(join(DEMO_DIR, gt.raw_file));
      const a = decodeLaneAtt(await runLaneModel(s32, input), TUSIMPLE_DECODE).lanes;
      const b = decodeLaneAtt(await runLaneModel(s16, input, true), TUSIMPLE_DECODE).lanes;
      assert.equal(b.length, a.length, gt.raw_file);
      for (const la of a) {
        // match by nearest lane (order can swap between near-equal scores)
        const dist = (lb: typeof la) => {
          const ys = new Map(lb.points.map(([x, y]) => [Math.round(y), x]));
          const d = la.points
            .filter(([, y]) => ys.has(Math.round(y)))
            .map(([x, y]) => Math.abs(x - ys.get(Math.round(y))!));
          return d.length ? d.reduce((s, v) => s + v, 0) / d.length : Infinity;
        };
        const best = Math.min(...b.map(dist));
        assert.ok(best < 1.5, `${gt.raw_file}: FP16 lane off by ${best.toFixed(2)} px`);
        assert.ok(Math.abs(la.score - b.find((lb) => dist(lb) === best)!.score) < 0.05);
        compared++;
      }
    }
    assert.ok(compared >= 16);
  } finally {
    await s32.release();
    await s16.release();
  }
  const r = await evaluateLaneModel(
    fp16,
    sceneGt.map((gt) => ({ image: join(DEMO_DIR, gt.raw_file), gt })),
    { fp16: true },
  );
  assert.ok(r.score.accuracy >= 0.9, `FP16 accuracy ${r.score.accuracy}`);
});
