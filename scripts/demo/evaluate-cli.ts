/**
 * Measure the demo lane models (assets/demo-repo) with the app's own decoder and TuSimple metric:
 *   node --import tsx scripts/demo/evaluate-cli.ts [--fp16] [--dir DIR]... [--real] [--demo] [--verbose]
 *     [--repo DIR] [--conf C] [--nms N] [--topk K]
 * --dir: a folder with images + labels.json (TuSimple lines; e.g. scripts/train/dump_split.py output;
 *        default test/fixtures/lanes-heldout); --real: the TuSimple frames of ../shared/lanes/real;
 * --demo: the still scenes of assets/demo (TypeScript generator). Prints accuracy / FP / FN per set.
 * --compare-fp16: instead, compare LaneDet_fp16 with laneDetect_model on those frames (lane counts, mean |dx|;
 *                 with --verbose also each lane over 2 px and its frame).
 * --repo: the model repository holding laneDetect_model and LaneDet_fp16 (default assets/demo-repo; e.g. a
 *         candidate export by scripts/train/export.py --out DIR); --conf / --nms / --topk: the decode's
 *         threshold, NMS distance and lane limit (default LaneATT's TuSimple settings: conf 0.2, nms 45, top 5).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDemoAssets, DEMO_DIR, DEMO_REPO_DIR, REPO_ROOT, TRAINED_MODEL_FILES } from './build';
import ort from 'onnxruntime-node';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import type { Lane } from '../../shared/lanes/types';
import {
  evaluateLaneModel,
  imageToInput,
  runLaneModel,
  TUSIMPLE_DECODE,
  type DecodeSettings,
  type EvaluationResult,
} from './evaluate';
import type { TuSimpleRecord } from './scene';
import { decoderOverrides } from '../../electron/cli/laneRun';
import { CliError } from '../../electron/cli/types';

export const HELDOUT_DIR = join(REPO_ROOT, 'test/fixtures/lanes-heldout');
export const REAL_DIR = join(REPO_ROOT, '../shared/lanes/real');

export function readLabels(file: string): TuSimpleRecord[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TuSimpleRecord);
}

/** Frames of a labelled folder: images resolved against `root` (raw_file is relative to it). */
export function labelledFrames(labels: string, root: string): { image: string; gt: TuSimpleRecord }[] {
  return readLabels(labels).map((gt) => ({ image: join(root, gt.raw_file), gt }));
}

/** The real TuSimple frames (evaluation only), or null when ../shared is absent. */
export function realFrames(): { image: string; gt: TuSimpleRecord }[] | null {
  const labels = join(REAL_DIR, 'tusimple/labels_derived.json');
  return existsSync(labels) ? labelledFrames(labels, REAL_DIR) : null;
}

function report(label: string, r: EvaluationResult, verbose: boolean): void {
  console.log(
    `${label}: frames ${r.score.frames.length}  accuracy ${r.score.accuracy.toFixed(4)}  FP ${r.score.fp.toFixed(3)}  FN ${r.score.fn.toFixed(3)}  F1 ${r.score.f1.toFixed(3)}  model ${r.msPerFrame.toFixed(0)} ms/frame`,
  );
  if (verbose)
    for (const f of r.score.frames)
      console.log(
        `  ${f.raw_file} acc ${f.accuracy.toFixed(3)} lanes ${f.lineAccuracies.map((a) => a.toFixed(2)).join(' ')} fp ${f.fpCount}${f.rejected ? ' REJECTED' : ''}`,
      );
}

/** Lane count agreement and per-lane mean |dx| (px of the 640-wide input) of the FP16 twin vs FP32. */
export async function compareFp16(images: string[], repo = DEMO_REPO_DIR, decode: DecodeSettings = {}) {
  const s32 = await ort.InferenceSession.create(join(repo, TRAINED_MODEL_FILES.laneDetect_model));
  const s16 = await ort.InferenceSession.create(join(repo, TRAINED_MODEL_FILES.LaneDet_fp16));
  const settings = { ...TUSIMPLE_DECODE, ...decode };
  let sameCount = 0;
  let lanes = 0;
  let sum = 0;
  let maxDx = 0;
  const over2: { image: string; dx: number }[] = [];
  for (const image of images) {
    const input = await imageToInput(image);
    const a = decodeLaneAtt(await runLaneModel(s32, input), settings).lanes;
    const b = decodeLaneAtt(await runLaneModel(s16, input, true), settings).lanes;
    if (a.length === b.length) sameCount++;
    for (const la of a) {
      const ys = (l: Lane) => new Map(l.points.map(([x, y]) => [Math.round(y), x]));
      const best = Math.min(
        ...b.map((lb) => {
          const m = ys(lb);
          const d = la.points
            .filter(([, y]) => m.has(Math.round(y)))
            .map(([x, y]) => Math.abs(x - m.get(Math.round(y))!));
          return d.length ? d.reduce((s, v) => s + v, 0) / d.length : Infinity;
        }),
      );
      lanes++;
      sum += best;
      maxDx = Math.max(maxDx, best);
      if (best > 2) over2.push({ image, dx: best });
    }
  }
  await s32.release();
  await s16.release();
  return { sameCount, lanes, meanDx: lanes ? sum / lanes : 0, maxDx, over2 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fp16: { type: 'boolean', default: false },
      dir: { type: 'string', multiple: true },
      real: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'compare-fp16': { type: 'boolean', default: false },
      repo: { type: 'string' },
      conf: { type: 'string' },
      nms: { type: 'string' },
      topk: { type: 'string' },
    },
  });
  const fp16 = values.fp16;
  const repo = values.repo ? resolve(values.repo) : DEMO_REPO_DIR;
  // The CLI's own parsing of --conf / --nms / --topk (numbers, errors naming the flag).
  const decode = decoderOverrides(values) as DecodeSettings;
  const model = new Uint8Array(
    readFileSync(join(repo, fp16 ? TRAINED_MODEL_FILES.LaneDet_fp16 : TRAINED_MODEL_FILES.laneDetect_model)),
  );
  const tag = fp16 ? ' (fp16)' : '';
  const dirs = values.dir ?? (values.real || values.demo ? [] : [HELDOUT_DIR]);
  if (values['compare-fp16']) {
    const frames = [
      ...dirs.flatMap((d) => labelledFrames(join(d, 'labels.json'), d)),
      ...(values.real ? (realFrames() ?? []) : []),
    ];
    const c = await compareFp16(
      frames.map((f) => f.image),
      repo,
      decode,
    );
    console.log(
      `FP16 vs FP32 over ${frames.length} frames: lane count equal on ${c.sameCount}/${frames.length}, ${c.lanes} lanes, mean |dx| per matched lane: mean ${c.meanDx.toFixed(3)} px, max ${c.maxDx.toFixed(3)} px, over 2 px: ${c.over2.length}`,
    );
    if (values.verbose)
      for (const o of c.over2) console.log(`  ${o.image}: a lane ${o.dx.toFixed(2)} px from its FP32 twin`);
    return;
  }
  for (const dir of dirs)
    report(
      `${dir}${tag}`,
      await evaluateLaneModel(model, labelledFrames(join(dir, 'labels.json'), dir), { fp16, decode }),
      values.verbose,
    );
  if (values.real) {
    const frames = realFrames();
    if (!frames) console.log(`real frames: ${REAL_DIR} not present`);
    else report(`real TuSimple${tag}`, await evaluateLaneModel(model, frames, { fp16, decode }), values.verbose);
  }
  if (values.demo) {
    await buildDemoAssets({ log: () => {} });
    report(
      `demo scenes${tag}`,
      await evaluateLaneModel(model, labelledFrames(join(DEMO_DIR, 'scenes/labels.json'), DEMO_DIR), { fp16, decode }),
      values.verbose,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch((e: unknown) => {
    if (!(e instanceof CliError)) throw e;
    console.error(e.message);
    process.exit(e.exitCode);
  });
}
