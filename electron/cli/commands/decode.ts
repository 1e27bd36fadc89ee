/**
 * `tritonscope decode laneatt|ufld|clrnet RAW.f32 [options] [--json]`: decodes a raw little-endian
 * float32 model output offline. `--json` prints the same document as the reference vectors in
 * ../shared/lanes/vectors (so a decode can be diffed against the Python reference); without it a
 * readable summary.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { parseFlags } from '../flags';
import { CliError, type CliCommand } from '../types';
import { decodeClrNet, CLRNET_COLS, type ClrNetOptions } from '../../../shared/lanes/clrnet';
import { decodeLaneAtt, type LaneAttOptions, type LaneAttResult } from '../../../shared/lanes/laneatt';
import { laneAttReport } from '../../../shared/lanes/laneattReport';
import { decoders } from '../../../shared/lanes/registry';
import { decoderInfo } from '../../../shared/inference/decodePolicy';
import { TUSIMPLE_H_SAMPLES } from '../../../shared/lanes/tusimple';
import {
  decodeUfld,
  parseUfldShape,
  ufldReport,
  UFLD_GRIDING,
  UFLD_ROW_ANCHORS,
  type UfldDataset,
  type UfldMode,
} from '../../../shared/lanes/ufld';
import type { ClrNetResult } from '../../../shared/lanes/clrnet';
import type { Lane } from '../../../shared/lanes/types';

const USAGE = [
  'usage: tritonscope decode laneatt RAW.f32 [--conf C] [--nms N] [--topk K] [--orig-w W --orig-h H]',
  '                                  [--scores-are-probs] [--preset tusimple|culane] [--tusimple] [--proposals] [--json]',
  '       tritonscope decode ufld RAW.f32 [--dataset tusimple|culane] [--mode tusimple-eval|culane-eval|demo]',
  '                                  [--shape 1,101,56,4] [--orig-w W --orig-h H] [--json]',
  '       tritonscope decode clrnet RAW.f32 [--conf C] [--nms N] [--topk K] [--orig-w W --orig-h H] [--cut-height C]',
  '                                  [--preset tusimple|culane] [--proposals] [--json]',
  "Without --preset or flags, laneatt and clrnet use the app's decode policy (laneatt: conf 0.2, NMS 45, top 5).",
].join('\n');

/**
 * Larger than any lane model's output (LaneATT's is 0.86 MB; a batch of 64 of them 55 MB): a
 * device or a wrong file is refused before it is read into memory.
 */
const MAX_RAW_BYTES = 256 * 1024 * 1024;

/** A pipe read to its end, refused as soon as it passes MAX_RAW_BYTES. */
async function readPipe(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    size += bytes.byteLength;
    if (size > MAX_RAW_BYTES)
      throw new CliError(`${path}: more than ${MAX_RAW_BYTES} bytes, larger than any lane model output`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Reads a raw float32 file (little-endian) into an aligned Float32Array. */
async function readF32(path: string): Promise<Float32Array> {
  let buf: Buffer;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new CliError(`cannot read ${path}: is a directory`);
    if (st.isFIFO()) {
      buf = await readPipe(path); // `cat out.f32 | tritonscope decode laneatt /dev/stdin`
    } else {
      if (!st.isFile()) throw new CliError(`${path}: not a regular file (a raw float32 output file is expected)`);
      if (st.size > MAX_RAW_BYTES)
        throw new CliError(
          `${path}: ${st.size} bytes is larger than any lane model output (${MAX_RAW_BYTES} bytes at most)`,
        );
      buf = await readFile(path);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
    );
  }
  if (buf.byteLength === 0 || buf.byteLength % 4 !== 0) {
    throw new CliError(`${path}: ${buf.byteLength} bytes is not a whole number of float32 values`);
  }
  const out = new Float32Array(buf.byteLength / 4);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Without --preset, the thresholds of the one decode policy (shared/inference/decodePolicy): what
 * the inspector, `infer` and `compare` use, so a raw output decodes here to the same lanes.
 */
function policyThresholds(model: 'laneatt' | 'clrnet'): Record<string, number> {
  const d = decoderInfo(model)?.defaults ?? {};
  // Every numeric option: CLRNet's policy also fixes the frame it was trained on (sizes, cut height).
  return Object.fromEntries(Object.entries(d).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function num(name: string, v: string | undefined, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new CliError(`--${name} must be ${integer ? 'an integer' : 'a number'}, got '${v}'`, 2);
  }
  return n;
}

/** A list of positive integers (`--shape 1,101,56,4`, `--h-samples 160,170,...`), the flag named in errors. */
function parseIntegers(v: string | undefined, flag = 'shape', example = '1,101,56,4'): number[] | undefined {
  if (v === undefined) return undefined;
  const dims = v
    .split(/[,x ]+/)
    .filter(Boolean)
    .map(Number);
  if (!dims.length || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new CliError(`--${flag} must be positive integers like ${example}, got '${v}'`, 2);
  }
  return dims;
}

function checkShapeSize(path: string, shape: number[], values: number): void {
  const want = shape.reduce((a, b) => a * b, 1);
  if (want !== values) {
    throw new CliError(
      `${path}: ${values * 4} bytes does not match shape [${shape.join(', ')}] (${want * 4} bytes expected)`,
    );
  }
}

const OPTIONS = {
  json: { type: 'boolean' },
  conf: { type: 'string' },
  nms: { type: 'string' },
  topk: { type: 'string' },
  'orig-w': { type: 'string' },
  'orig-h': { type: 'string' },
  'scores-are-probs': { type: 'boolean' },
  preset: { type: 'string' },
  tusimple: { type: 'boolean' },
  'h-samples': { type: 'string' },
  proposals: { type: 'boolean' },
  dataset: { type: 'string' },
  mode: { type: 'string' },
  shape: { type: 'string' },
  'cut-height': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const command: CliCommand = async (argv) => {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, USAGE);
  if (v.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const [model, file, ...extra] = positionals;
  if (!model || !file || extra.length) throw new CliError(`expected a decoder name and one RAW.f32 file\n${USAGE}`, 2);
  if (!(model in decoders))
    throw new CliError(`unknown decoder '${model}' (known: ${Object.keys(decoders).join(', ')})`, 2);
  const origW = num('orig-w', v['orig-w']);
  const origH = num('orig-h', v['orig-h']);
  if ((origW === undefined) !== (origH === undefined))
    throw new CliError('--orig-w and --orig-h must be given together', 2);
  // Every decoder scales its points by these: 0 or less would put every lane at or left of the edge.
  if ((origW !== undefined && origW <= 0) || (origH !== undefined && origH <= 0))
    throw new CliError(`--orig-w and --orig-h must be positive, got ${origW} x ${origH}`, 2);
  const shape = parseIntegers(v.shape);
  // Validate every numeric flag before touching the file, so usage errors come first.
  const conf = num('conf', v.conf);
  const nms = num('nms', v.nms);
  const topk = num('topk', v.topk, true);
  const cutHeight = num('cut-height', v['cut-height']);
  const hSamples = v['h-samples']
    ? parseIntegers(v['h-samples'], 'h-samples', '160,170,180')
    : v.tusimple
      ? [...TUSIMPLE_H_SAMPLES]
      : undefined;
  const raw = await readF32(file);
  const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');

  if (model === 'laneatt') {
    const preset = v.preset ? presetOf('laneatt', v.preset) : policyThresholds('laneatt');
    if (shape) checkShapeSize(file, shape, raw.length);
    if (raw.length % 77 !== 0) {
      throw new CliError(`${file}: ${raw.length * 4} bytes is not N x 77 float32 values (LaneATT proposals)`);
    }
    const opts: LaneAttOptions = {
      ...preset,
      ...defined({ conf, nms, topk }),
      scoresAreProbs: v['scores-are-probs'] ?? false,
      origW: origW ?? null,
      origH: origH ?? null,
      proposals: v.proposals ?? false,
    };
    const result = wrap(() => decodeLaneAtt(raw, opts));
    if (v.json) {
      const report = laneAttReport(result, hSamples ? { hSamples } : {});
      if (result.proposals) report.proposals = result.proposals;
      out(JSON.stringify(report, null, 1));
    } else out(proposalSummary('laneatt', result, origW !== undefined));
    return 0;
  }

  if (model === 'ufld') {
    const dataset = v.dataset as UfldDataset | undefined;
    if (dataset && !['tusimple', 'culane'].includes(dataset))
      throw new CliError(`--dataset must be tusimple or culane, got '${dataset}'`, 2);
    const mode = v.mode as UfldMode | undefined;
    if (mode && !['tusimple-eval', 'culane-eval', 'demo'].includes(mode)) {
      throw new CliError(`--mode must be tusimple-eval, culane-eval or demo, got '${mode}'`, 2);
    }
    const s = shape ?? ufldShapeFor(file, raw.length, dataset);
    checkShapeSize(file, s, raw.length);
    if (!parseUfldShape(s)) throw new CliError(`--shape [${s.join(', ')}] is not a UFLD [1, G+1, R, L] shape`, 2);
    const result = wrap(() => decodeUfld(raw, s, { dataset, mode, origW, origH }));
    if (v.json) out(JSON.stringify(ufldReport(result), null, 1));
    else {
      const lines = [`ufld ${result.dataset} (${result.mode}): shape [${s.join(', ')}], ${result.lanes.length} lanes`];
      for (const l of result.lanes)
        lines.push(`  slot ${l.slot}: ${l.points.length} points, score ${l.score.toFixed(3)}${span(l)}`);
      out(lines.join('\n'));
    }
    return 0;
  }

  // clrnet
  const preset = v.preset ? presetOf('clrnet', v.preset) : policyThresholds('clrnet');
  if (shape) checkShapeSize(file, shape, raw.length);
  if (raw.length % CLRNET_COLS !== 0)
    throw new CliError(`${file}: ${raw.length * 4} bytes is not N x 78 float32 values (CLRNet priors)`);
  const opts: ClrNetOptions = {
    ...preset,
    ...defined({
      conf,
      nms,
      topk,
      origW,
      origH,
      cutHeight,
    }),
    proposals: v.proposals ?? false,
  };
  const result = wrap(() => decodeClrNet(raw, opts));
  if (v.json) {
    out(
      JSON.stringify(
        {
          model: 'clrnet',
          params: result.params,
          n_proposals: result.nProposals,
          n_above_conf: result.nAboveConf,
          nms_keep: result.nmsKeep,
          lanes: result.lanes.map((l) => ({
            row: l.row,
            score: l.score,
            start_y: l.startY,
            start_x: l.startX,
            length_raw: l.lengthRaw,
            start: l.start,
            length: l.length,
            end: l.end,
            n_points: l.points.length,
            points: l.inputPoints,
            points_orig: l.points,
          })),
          dropped: result.dropped,
          ...(result.proposals ? { proposals: result.proposals } : {}),
        },
        null,
        1,
      ),
    );
  } else out(proposalSummary('clrnet', result, true));
  return 0;
};

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

function presetOf(model: 'laneatt' | 'clrnet', name: string): Record<string, unknown> {
  const presets = decoders[model].presets as Record<string, Record<string, unknown>>;
  const p = presets[name];
  if (!p) throw new CliError(`unknown --preset '${name}' for ${model} (known: ${Object.keys(presets).join(', ')})`, 2);
  return p;
}

/** Decoder input errors become one-line CLI errors. */
function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** Given a UFLD file without --shape: the dataset's shape, or the known shape with that many values. */
function ufldShapeFor(file: string, values: number, dataset?: UfldDataset): number[] {
  const candidates = (dataset ? [dataset] : (['tusimple', 'culane'] as const)).map((d) => [
    1,
    UFLD_GRIDING[d] + 1,
    UFLD_ROW_ANCHORS[d].length,
    4,
  ]);
  const hit = candidates.find((s) => s.reduce((a, b) => a * b, 1) === values);
  if (hit) return hit;
  if (dataset) return candidates[0]; // checkShapeSize reports the mismatch
  throw new CliError(
    `${file}: ${values * 4} bytes matches no known UFLD shape (${candidates.map((s) => `[${s.join(',')}]`).join(' or ')}); pass --shape`,
  );
}

function span(l: Lane): string {
  if (!l.points.length) return '';
  const a = l.points[0];
  const b = l.points[l.points.length - 1];
  return `, (${a[0].toFixed(1)}, ${a[1].toFixed(1)}) -> (${b[0].toFixed(1)}, ${b[1].toFixed(1)})`;
}

function proposalSummary(name: string, r: LaneAttResult | ClrNetResult, scaled: boolean): string {
  const p = r.params;
  const lines = [
    `${name}: ${r.nProposals} proposals, ${r.nAboveConf} above conf ${p.conf}, NMS (${p.nms} px, top ${p.topk}) kept ${r.nmsKeep.length}, ${r.lanes.length} lanes` +
      (scaled ? ` (points in ${p.origW}x${p.origH})` : ` (points in ${p.imgW}x${p.imgH} input pixels)`),
  ];
  r.lanes.forEach((l, i) => {
    lines.push(
      `  lane ${i + 1}: row ${l.row}${l.anchor ? ` (${l.anchor})` : ''}, score ${l.score.toFixed(4)}, rows ${l.start}..${l.end}, ${l.points.length} points${span(l)}`,
    );
  });
  for (const d of r.dropped) lines.push(`  dropped: row ${d.row}, score ${d.score.toFixed(4)} (${d.reason})`);
  return lines.join('\n');
}
