/**
 * `tritonscope infer --model M --image FILE`: runs one image through a model and summarises the
 * outputs (name, datatype, shape, min/max/mean) and, when an output's shape is one a lane decoder
 * knows (shared/lanes registry), the decoded lanes in pixels of the original image.
 *
 * The image is decoded with sharp and resized bilinearly (shared/resize.ts, OpenCV's INTER_LINEAR) to the
 * model input's H x W (read from the model metadata; NCHW, batch dimension added when max_batch_size > 0),
 * then turned into the CHW tensor by shared/preprocess.ts. Defaults are LaneATT's preprocessing: BGR
 * planes (as cv2.imread), scale 1/255, no mean/std.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { preprocessImage } from '../../../shared/preprocess';
import { resizeBilinear } from '../../../shared/resize';
import { decodeTensor } from '../../../shared/tensor/codec';
import { decoders, suggestDecoders, type DecoderName } from '../../../shared/lanes/registry';
import type { Lane } from '../../../shared/lanes/types';
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import { formatTable } from '../table';
import { CliError, type CliCommand } from '../types';
import type { InferOutput } from '../../triton/types';

const USAGE = [
  'usage: tritonscope infer --model M --image FILE [--dtype FP32|FP16] [--out F.json]',
  '         [--input NAME] [--size WxH] [--channel-order RGB|BGR] [--scale S] [--mean R,G,B] [--std R,G,B]',
  `         [--decoder laneatt|ufld|clrnet|none] [--model-version V] ${CONNECTION_USAGE}`,
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
}

/** min/max/mean over a numeric output (NaN-free mean; BYTES only counts elements). */
export function summariseOutput(o: InferOutput): OutputSummary {
  const base = { name: o.name, datatype: o.datatype, shape: o.shape, bytes: o.data.length };
  const values = decodeTensor(o.datatype, o.data);
  if (o.datatype === 'BYTES') return { ...base, elements: values.length };
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    n = 0;
  for (let i = 0; i < values.length; i++) {
    const raw = (values as ArrayLike<number | bigint | boolean>)[i]!;
    const v = typeof raw === 'number' ? raw : Number(raw);
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  return n === 0 ? { ...base, elements: values.length } : { ...base, min, max, mean: sum / n, elements: values.length };
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
      decoder: { type: 'string' },
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
  const order = (values['channel-order'] as string | undefined) ?? 'BGR';
  if (order !== 'RGB' && order !== 'BGR') throw new CliError(`--channel-order must be RGB or BGR, got '${order}'`, 2);
  const scale = values.scale === undefined ? 1 / 255 : Number(values.scale);
  if (!Number.isFinite(scale)) throw new CliError(`--scale must be a number, got '${values.scale}'`, 2);
  const mean = parseTriple(values.mean as string | undefined, '--mean');
  const std = parseTriple(values.std as string | undefined, '--std');
  const decoderFlag = values.decoder as string | undefined;
  if (decoderFlag && decoderFlag !== 'none' && !(decoderFlag in decoders))
    throw new CliError(`unknown --decoder '${decoderFlag}' (laneatt, ufld, clrnet, none)`, 2);
  let sizeOverride: [number, number] | undefined;
  if (values.size !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(values.size as string);
    if (!m) throw new CliError(`--size must be WxH, e.g. 640x360, got '${values.size}'`, 2);
    sizeOverride = [Number(m[1]), Number(m[2])];
  }

  // Decode the image first: a bad file should fail before any network round trip.
  let original: { width: number; height: number };
  try {
    const meta = await sharp(image).metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions');
    original = { width: meta.width, height: meta.height };
  } catch (err) {
    throw new CliError(`cannot read image '${image}': ${(err as Error).message.split('\n')[0]}`);
  }

  return withTritonClient(values, async (client) => {
    const version = (values['model-version'] as string | undefined) ?? '';
    const [metadata, config] = await Promise.all([
      client.modelMetadata(model, version),
      client.modelConfig(model, version),
    ]);
    const inputName = values.input as string | undefined;
    const input = inputName ? metadata.inputs.find((i) => i.name === inputName) : metadata.inputs[0];
    if (!input)
      throw new CliError(
        inputName
          ? `model '${model}' has no input '${inputName}' (inputs: ${metadata.inputs.map((i) => i.name).join(', ')})`
          : `model '${model}' has no inputs`,
      );
    if (!inputName && metadata.inputs.length > 1)
      throw new CliError(
        `model '${model}' has ${metadata.inputs.length} inputs; choose one with --input (${metadata.inputs.map((i) => i.name).join(', ')})`,
        2,
      );
    const cfgInput = config.input?.find((i) => i.name === input.name);
    if (cfgInput?.format === 'FORMAT_NHWC')
      throw new CliError(`input '${input.name}' is NHWC; only NCHW image inputs are supported`);
    const batching = (config.max_batch_size ?? 0) > 0;
    // Metadata shows the batch dim as -1 for batching models; the rest is [C,H,W] or [1,C,H,W].
    const dims = batching ? input.shape.slice(1) : input.shape;
    const chw = dims.length === 4 && (dims[0] === 1 || dims[0] === -1) ? dims.slice(1) : dims;
    if (chw.length !== 3)
      throw new CliError(
        `input '${input.name}' has shape [${input.shape.join(',')}]; expected an NCHW image input [N,3,H,W]`,
      );
    if (chw[0] !== 3) throw new CliError(`input '${input.name}' has ${chw[0]} channels; expected 3 (NCHW)`);
    const [width, height] = sizeOverride ?? [chw[2]!, chw[1]!];
    if (width <= 0 || height <= 0)
      throw new CliError(`input '${input.name}' has variable H/W [${input.shape.join(',')}]; pass --size WxH`, 2);
    const dtype = dtypeFlag ?? input.datatype;
    if (dtype !== 'FP32' && dtype !== 'FP16')
      throw new CliError(`input '${input.name}' is ${input.datatype}; infer supports FP32 and FP16 image inputs`);
    const shape = batching || dims.length === 4 ? [1, 3, height, width] : [3, height, width];

    const { data: decoded, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixels = resizeBilinear(decoded, info.width, info.height, width, height);
    const tensorBytes = preprocessImage(pixels, {
      width,
      height,
      channels: 3,
      dtype,
      channelOrder: order,
      scale,
      mean,
      std,
    });

    const t0 = performance.now();
    const response = await client.infer({
      model,
      version,
      inputs: [{ name: input.name, datatype: dtype, shape, data: tensorBytes }],
    });
    const latencyMs = performance.now() - t0;

    const outputs = response.outputs.map(summariseOutput);
    const lanes: Array<{
      output: string;
      decoder: DecoderName;
      lanes: Array<{ score: number; points: Lane['points'] }>;
    }> = [];
    if (decoderFlag !== 'none') {
      for (const o of response.outputs) {
        if (o.datatype !== 'FP32' && o.datatype !== 'FP16') continue;
        const name = (decoderFlag as DecoderName | undefined) ?? suggestDecoders(o.shape)[0]?.name;
        if (!name || !decoders[name].matchesShape(o.shape)) continue;
        const raw = decodeTensor(o.datatype, o.data, { shape: o.shape });
        const opts =
          name === 'ufld'
            ? { mode: 'demo' as const, origW: original.width, origH: original.height }
            : { origW: original.width, origH: original.height };
        const result = (
          decoders[name].decode as (r: Float32Array, s: readonly number[], o: object) => { lanes: Lane[] }
        )(raw, o.shape, opts);
        lanes.push({
          output: o.name,
          decoder: name,
          lanes: result.lanes.map((l) => ({ score: l.score, points: l.points })),
        });
      }
    }
    const summary = {
      model: response.model,
      version: response.version,
      image: { path: image, ...original },
      input: { name: input.name, datatype: dtype, shape },
      latencyMs: Number(latencyMs.toFixed(3)),
      outputs,
      lanes,
    };
    if (values.out) {
      try {
        await writeFile(values.out as string, `${JSON.stringify(summary, null, 2)}\n`);
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
      `${response.model} v${response.version}: ${image} (${original.width}x${original.height}) -> ${input.name} ${dtype} [${shape.join(',')}] in ${latencyMs.toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `${formatTable(
        ['OUTPUT', 'DATATYPE', 'SHAPE', 'MIN', 'MAX', 'MEAN'],
        outputs.map((o) => [o.name, o.datatype, `[${o.shape.join(',')}]`, fmt(o.min), fmt(o.max), fmt(o.mean)]),
      )}\n`,
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
