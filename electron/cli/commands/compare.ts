/**
 * `tritonscope compare --model-a A --model-b B [--url-b URL] (--images DIR | --video FILE) --json`:
 * runs every frame through two models (or one model on two servers) and reports what changed, with
 * the same numbers as the inspector's A/B view (shared/inference/compare): per-output max/mean |Δ|,
 * anchors crossing the threshold in one model only, lanes matched one to one with mean/max |Δx|,
 * lanes only A or only B found, and the frames where the lanes disagree, worst first.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { toCsv } from '../../../shared/csv';
import {
  LANE_PREPROCESS,
  comparisonJson,
  compareFrame,
  DEFAULT_DX_TOLERANCE,
  sequenceCsvRows,
  summarizeSequence,
  worstMeanDx,
  type PreprocessSettings,
  type SequenceFrame,
} from '../../../shared/inference';
import { decoders } from '../../../shared/lanes/registry';
import {
  CONNECTION_USAGE,
  connectTritonClient,
  parseCommandArgs,
  printJson,
  withTritonClient,
} from '../connectionFlags';
import { folderImages, videoFrames, type Frame } from '../frameSources';
import {
  decodeLaneOutput,
  decoderOverrides,
  decoderSettingsFrom,
  ImageFileError,
  imageTensor,
  inferTensor,
  inputSpecFor,
  readImageSize,
  type LaneOutput,
  DECODER_FLAGS,
} from '../laneRun';
import { formatTable } from '../table';
import { CliError, type CliCommand } from '../types';
import { exportJson } from '../../../shared/exportJson';

const USAGE = [
  'usage: tritonscope compare --model-a A --model-b B [--url-b HOST:PORT] (--images DIR | --video FILE)',
  '         [--every N] [--max-frames N] [--decoder laneatt|ufld|clrnet] [--conf C] [--nms N] [--topk K]',
  `         [--dx-tolerance PX] [--out F.json] [--csv F.csv] ${CONNECTION_USAGE}`,
  '  --url is server A (and B unless --url-b is given).',
].join('\n');

function positiveInt(v: unknown, flag: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < 1)
    throw new CliError(`${flag} must be a positive integer, got '${typeof v === 'string' ? v : JSON.stringify(v)}'`, 2);
  return n;
}

export const command: CliCommand = async (argv) => {
  const { values } = parseCommandArgs(
    argv,
    {
      'model-a': { type: 'string' },
      'model-b': { type: 'string' },
      'url-b': { type: 'string' },
      images: { type: 'string' },
      video: { type: 'string' },
      every: { type: 'string' },
      'max-frames': { type: 'string' },
      ...DECODER_FLAGS,
      'dx-tolerance': { type: 'string' },
      out: { type: 'string' },
      csv: { type: 'string' },
    },
    { usage: USAGE },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const modelA = values['model-a'] as string | undefined;
  const modelB = values['model-b'] as string | undefined;
  if (!modelA || !modelB) throw new CliError(`--model-a and --model-b are required\n${USAGE}`, 2);
  const imagesDir = values.images as string | undefined;
  const video = values.video as string | undefined;
  if (!imagesDir === !video) throw new CliError(`give exactly one of --images DIR and --video FILE\n${USAGE}`, 2);
  const every = positiveInt(values.every, '--every', 1);
  const maxFrames = positiveInt(values['max-frames'], '--max-frames', Number.MAX_SAFE_INTEGER);
  const decoderFlag = values.decoder as string | undefined;
  if (decoderFlag && !(decoderFlag in decoders))
    throw new CliError(`unknown --decoder '${decoderFlag}' (laneatt, ufld, clrnet)`, 2);
  const settings = decoderSettingsFrom(decoderFlag, decoderOverrides(values));
  const dxTolerance = values['dx-tolerance'] === undefined ? DEFAULT_DX_TOLERANCE : Number(values['dx-tolerance']);
  if (!Number.isFinite(dxTolerance) || dxTolerance < 0)
    throw new CliError(`--dx-tolerance must be a non-negative number, got '${values['dx-tolerance']}'`, 2);
  const images = imagesDir
    ? folderImages(imagesDir)
        .filter((_, i) => i % every === 0)
        .slice(0, maxFrames)
    : [];
  const pre: PreprocessSettings = {
    ...LANE_PREPROCESS,
    mean: [...LANE_PREPROCESS.mean],
    std: [...LANE_PREPROCESS.std],
  };
  const urlB = (values['url-b'] as string | undefined) ?? undefined;

  return withTritonClient(values, async (clientA) => {
    const clientB = urlB ? connectTritonClient({ ...values, url: urlB }) : clientA;
    try {
      const [metaA, metaB] = await Promise.all([clientA.modelMetadata(modelA), clientB.modelMetadata(modelB)]);
      const specA = inputSpecFor(metaA);
      const specB = inputSpecFor(metaB);
      const run = async (frame: Frame): Promise<SequenceFrame & { a: LaneOutput; b: LaneOutput }> => {
        const size =
          typeof frame.image === 'string'
            ? await readImageSize(frame.image)
            : { width: frame.image.width, height: frame.image.height };
        const size2 = { w: size.width, h: size.height };
        const [ra, rb] = await Promise.all([
          imageTensor(frame.image, specA, pre).then((t) => inferTensor(clientA, modelA, '', t)),
          imageTensor(frame.image, specB, pre).then((t) => inferTensor(clientB, modelB, '', t)),
        ]);
        const a = decodeLaneOutput(metaA, ra.response, size2, settings);
        const b = decodeLaneOutput(metaB, rb.response, size2, settings);
        if (!a || !b)
          throw new CliError(`${!a ? modelA : modelB}: no lane decoder fits its output; choose one with --decoder`);
        if (a.decoder !== b.decoder)
          throw new CliError(
            `the models need different decoders (${a.decoder} vs ${b.decoder}); choose one with --decoder`,
          );
        const comparison = compareFrame({
          output: { name: a.output, a: a.values, b: b.values },
          decoder: a.decoder,
          conf: typeof a.options.conf === 'number' ? a.options.conf : undefined,
          scoresAreProbs: a.options.scoresAreProbs === true,
          lanesA: a.lanes,
          lanesB: b.lanes,
        });
        return { index: frame.index, label: frame.label, comparison, a, b };
      };

      const frames: SequenceFrame[] = [];
      let decoderName = '';
      let options: Record<string, unknown> = {};
      const source: AsyncIterable<Frame> | Iterable<Frame> = video
        ? videoFrames(video, every, maxFrames)
        : images.map((path, i) => ({ index: i * every, label: basename(path), image: path }));
      const skipped: { label: string; reason: string }[] = [];
      for await (const frame of source) {
        let r;
        try {
          r = await run(frame);
        } catch (err) {
          // Only a file that is not a readable image is skipped (and listed); anything else ends the run.
          if (!(err instanceof ImageFileError)) throw err;
          skipped.push({ label: frame.label, reason: err.message });
          continue;
        }
        decoderName = r.a.decoder;
        options = r.a.options;
        frames.push({ index: r.index, label: r.label, comparison: r.comparison });
      }
      if (frames.length === 0 && skipped.length > 0)
        throw new CliError(`no image could be read (${skipped.length} skipped; first: ${skipped[0].reason})`);
      for (const s of skipped) process.stderr.write(`skipped ${s.label}: ${s.reason}\n`);
      const summary = summarizeSequence(frames, dxTolerance);
      const report = {
        // The address each client really used (the default port follows --protocol).
        a: { model: modelA, url: clientA.url },
        b: { model: modelB, url: clientB.url },
        source: video ? { video } : { images: imagesDir },
        decoder: decoderName,
        options,
        preprocess: pre,
        dxTolerance,
        summary: {
          frames: summary.frames,
          disagreeing: summary.disagreeing,
          meanAbsOutput: summary.meanAbsOutput,
          maxAbsOutput: summary.maxAbsOutput,
          meanDx: summary.meanDx,
          onlyA: summary.onlyA,
          onlyB: summary.onlyB,
        },
        frames: summary.worst.map((f) => ({ index: f.index, label: f.label, ...comparisonJson(f.comparison) })),
        skipped,
      };
      if (values.out) await writeOut(values.out as string, `${exportJson(report)}\n`);
      if (values.csv) await writeOut(values.csv as string, toCsv(sequenceCsvRows(summary)));
      if (values.json) {
        printJson(report);
        return 0;
      }
      process.stdout.write(
        `${modelA} vs ${modelB}: ${summary.frames} frame(s), ${summary.disagreeing} disagree; lanes only A ${summary.onlyA}, only B ${summary.onlyB}; mean |Δx| ${summary.meanDx.toFixed(2)} px; output |Δ| mean ${summary.meanAbsOutput.toPrecision(3)} max ${summary.maxAbsOutput.toPrecision(3)}\n`,
      );
      process.stdout.write(
        `${formatTable(
          ['FRAME', 'LABEL', 'LANES A', 'LANES B', 'ONLY A', 'ONLY B', 'WORST MEAN |ΔX|', 'FLIPS A/B'],
          summary.worst
            .slice(0, 10)
            .map((f) => [
              String(f.index + 1),
              f.label,
              String(f.comparison.lanesA),
              String(f.comparison.lanesB),
              String(f.comparison.lanes.onlyA.length),
              String(f.comparison.lanes.onlyB.length),
              worstMeanDx(f.comparison).toFixed(2),
              f.comparison.flips ? `${f.comparison.flips.onlyA}/${f.comparison.flips.onlyB}` : '-',
            ]),
        )}\n`,
      );
      return 0;
    } finally {
      if (clientB !== clientA) clientB.close();
    }
  });
};

async function writeOut(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (err) {
    throw new CliError(`cannot write '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
