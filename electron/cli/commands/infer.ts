/**
 * `tritonscope infer --model M --image FILE`: runs one image through a model and summarises the
 * outputs (name, datatype, shape, min/max/mean) and the decoded lanes in pixels of the original image.
 *
 * Input detection, preprocessing and the decode policy are the app's (shared/inference, through
 * ../laneRun): the same image, model and settings give the same lanes as the inspector. The image is
 * resized with sharp to the detected input's H x W (stretched, as the inspector's canvas does).
 */
import { writeFile } from 'node:fs/promises';
import { decodeTensor } from '../../../shared/tensor/codec';
import { decoders } from '../../../shared/lanes/registry';
import { LANE_PREPROCESS } from '../../../shared/inference';
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import {
  decodeLaneOutput,
  decoderOverrides,
  decoderSettingsFrom,
  imageTensor,
  inferTensor,
  inputSpecFor,
  readImageSize,
  DECODER_FLAGS,
} from '../laneRun';
import { formatTable } from '../table';
import { CliError, type CliCommand } from '../types';
import type { InferOutput } from '../../triton/types';
import { exportJson } from '../../../shared/exportJson';

const USAGE = [
  'usage: tritonscope infer --model M --image FILE [--dtype FP32|FP16] [--out F.json]',
  '         [--input NAME] [--size WxH] [--channel-order RGB|BGR] [--scale S] [--mean R,G,B] [--std R,G,B]',
  `         [--decoder laneatt|ufld|clrnet|none] [--conf C] [--nms N] [--topk K] [--model-version V] ${CONNECTION_USAGE}`,
].join('\n');

export interface OutputSummary {
  name: string;
  datatype: string;
  shape: number[];
  bytes: number;
  min?: number;
  max?: number;
  mean?: number;
  elements?: number;
  /** How many elements are NaN or ±Infinity (an FP16 output that overflowed): left out of min/max/mean. */
  nonFinite?: number;
}

/**
 * min/max/mean over the finite values of a numeric output, and how many are not finite (BYTES only
 * counts elements). An Infinity in the mean would hide every other value, and NaN or Infinity
 * dropped without a count would hide that the model overflowed.
 */
export function summariseOutput(o: InferOutput): OutputSummary {
  const base = { name: o.name, datatype: o.datatype, shape: o.shape, bytes: o.data.length };
  const values = decodeTensor(o.datatype, o.data);
  if (o.datatype === 'BYTES') return { ...base, elements: values.length };
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    n = 0;
  for (let i = 0; i < values.length; i++) {
    const raw = (values as ArrayLike<number | bigint | boolean>)[i];
    const v = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  const nonFinite = values.length - n;
  const counts = { elements: values.length, ...(nonFinite ? { nonFinite } : {}) };
  return n === 0 ? { ...base, ...counts } : { ...base, min, max, mean: sum / n, ...counts };
}

function parseTriple(text: string | undefined, flag: string): [number, number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p)))
    throw new CliError(`${flag} needs three numbers R,G,B, got '${text}'`, 2);
  return parts as [number, number, number];
}

export const command: CliCommand = async (argv) => {
  const { values } = parseCommandArgs(
    argv,
    {
      model: { type: 'string' },
      image: { type: 'string' },
      dtype: { type: 'string' },
      out: { type: 'string' },
      input: { type: 'string' },
      size: { type: 'string' },
      'channel-order': { type: 'string' },
      scale: { type: 'string' },
      mean: { type: 'string' },
      std: { type: 'string' },
      ...DECODER_FLAGS,
      'model-version': { type: 'string' },
    },
    { usage: USAGE },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const model = values.model as string | undefined;
  const image = values.image as string | undefined;
  if (!model || !image) throw new CliError(`--model and --image are required\n${USAGE}`, 2);
  const dtypeFlag = values.dtype as string | undefined;
  if (dtypeFlag !== undefined && dtypeFlag !== 'FP32' && dtypeFlag !== 'FP16')
    throw new CliError(`--dtype must be FP32 or FP16, got '${dtypeFlag}'`, 2);
  const order = (values['channel-order'] as string | undefined) ?? LANE_PREPROCESS.channelOrder;
  if (order !== 'RGB' && order !== 'BGR') throw new CliError(`--channel-order must be RGB or BGR, got '${order}'`, 2);
  const scale = values.scale === undefined ? LANE_PREPROCESS.scale : Number(values.scale);
  if (!Number.isFinite(scale)) throw new CliError(`--scale must be a number, got '${values.scale}'`, 2);
  const pre = {
    channelOrder: order,
    scale,
    mean: parseTriple(values.mean as string | undefined, '--mean') ?? [...LANE_PREPROCESS.mean],
    std: parseTriple(values.std as string | undefined, '--std') ?? [...LANE_PREPROCESS.std],
    dtype: dtypeFlag ?? 'auto',
  } as const;
  const decoderFlag = values.decoder as string | undefined;
  if (decoderFlag && decoderFlag !== 'none' && !(decoderFlag in decoders))
    throw new CliError(`unknown --decoder '${decoderFlag}' (laneatt, ufld, clrnet, none)`, 2);
  const settings = decoderSettingsFrom(decoderFlag, decoderOverrides(values));
  let sizeOverride: [number, number] | undefined;
  if (values.size !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(values.size as string);
    if (!m) throw new CliError(`--size must be WxH, e.g. 640x360, got '${values.size}'`, 2);
    sizeOverride = [Number(m[1]), Number(m[2])];
  }

  // Decode the image first: a bad file should fail before any network round trip.
  const original = await readImageSize(image);

  return withTritonClient(values, async (client) => {
    const version = (values['model-version'] as string | undefined) ?? '';
    const metadata = await client.modelMetadata(model, version);
    const spec = inputSpecFor(metadata, values.input as string | undefined, sizeOverride);
    const tensor = await imageTensor(image, spec, { ...pre, mean: [...pre.mean], std: [...pre.std] });
    const { response, latencyMs } = await inferTensor(client, model, version, tensor);
    const { datatype: dtype, shape } = tensor;

    const outputs = response.outputs.map(summariseOutput);
    const decoded =
      decoderFlag === 'none'
        ? null
        : decodeLaneOutput(metadata, response, { w: original.width, h: original.height }, settings);
    const lanes = decoded
      ? [
          {
            output: decoded.output,
            decoder: decoded.decoder,
            options: decoded.options,
            lanes: decoded.lanes.map((l) => ({ score: l.score, points: l.points })),
          },
        ]
      : [];
    const summary = {
      model: response.model,
      version: response.version,
      image: { path: image, ...original },
      input: { name: spec.name, datatype: dtype, shape },
      preprocess: { channelOrder: pre.channelOrder, scale: pre.scale, mean: pre.mean, std: pre.std },
      latencyMs: Number(latencyMs.toFixed(3)),
      outputs,
      lanes,
    };
    if (values.out) {
      try {
        await writeFile(values.out as string, `${exportJson(summary)}\n`);
      } catch (err) {
        throw new CliError(`cannot write '${values.out}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    if (values.json) {
      printJson(summary);
      return 0;
    }
    const fmt = (v: number | undefined) => (v === undefined ? '-' : Number(v.toPrecision(6)).toString());
    process.stdout.write(
      `${response.model} v${response.version}: ${image} (${original.width}x${original.height}) -> ${spec.name} ${dtype} [${shape.join(',')}] in ${latencyMs.toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `${formatTable(
        ['OUTPUT', 'DATATYPE', 'SHAPE', 'MIN', 'MAX', 'MEAN'],
        outputs.map((o) => [o.name, o.datatype, `[${o.shape.join(',')}]`, fmt(o.min), fmt(o.max), fmt(o.mean)]),
      )}\n`,
    );
    for (const o of outputs)
      if (o.nonFinite)
        process.stdout.write(
          `${o.name}: ${o.nonFinite} of ${o.elements} values are NaN or Infinity (left out of min/max/mean)\n`,
        );
    for (const l of lanes) {
      process.stdout.write(
        `${l.output}: ${l.decoder} -> ${l.lanes.length} lane(s)${l.lanes.map((x, i) => `\n  #${i + 1} score ${x.score.toFixed(3)}, ${x.points.length} points`).join('')}\n`,
      );
    }
    if (values.out) process.stdout.write(`summary written to ${values.out}\n`);
    return 0;
  });
};
