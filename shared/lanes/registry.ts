/**
 * Decoder registry: the UI and the CLI pick a lane decoder by name, render its options as
 * sliders from the descriptors, and get a suggestion from a model's output shape.
 * Every decoder takes the raw float32 data plus the tensor shape (batch dimension allowed;
 * `batchIndex` picks the image) and returns lanes in original-image pixels when sizes are given.
 */
import { decodeClrNet, CLRNET_DEFAULTS, CLRNET_COLS, type ClrNetOptions, type ClrNetResult } from './clrnet';
import { LaneDecodeError } from './errors';
import { decodeLaneAtt, LANEATT_DEFAULTS, type LaneAttOptions, type LaneAttResult } from './laneatt';
import { FULL_ANCHOR_COUNT } from './laneattAnchors';
import type { OptionDescriptor } from './types';
import { decodeUfld, parseUfldShape, ufldDatasetOf, type UfldOptions, type UfldResult } from './ufld';

export type DecoderName = 'laneatt' | 'ufld' | 'clrnet';

/** Common to every decoder: which image of a batched output to decode (default 0). */
export interface BatchOption {
  batchIndex?: number;
}

export interface LaneDecoder<O, R> {
  name: DecoderName;
  label: string;
  description: string;
  /** Values the decoder uses when an option is omitted. */
  defaults: Readonly<O>;
  /** Named option sets from the upstream configs (e.g. 'tusimple', 'culane'). */
  presets: Readonly<Record<string, Partial<O>>>;
  /** Options a UI should expose, with ranges. */
  options: readonly OptionDescriptor[];
  /** True when an output of this shape can be decoded (batch/dynamic -1 dimensions allowed). */
  matchesShape(shape: readonly number[]): boolean;
  decode(raw: Float32Array, shape: readonly number[], options?: O & BatchOption): R;
}

/** Strips a leading batch dimension (1, -1 or B) from a proposal tensor shape [.., N, C]. */
function proposalRows(shape: readonly number[], cols: number): { batch: number; rows: number } | null {
  if (shape.length === 2 && shape[1] === cols && shape[0] > 0) return { batch: 1, rows: shape[0] };
  if (shape.length === 3 && shape[2] === cols && shape[1] > 0 && (shape[0] > 0 || shape[0] === -1)) {
    return { batch: shape[0], rows: shape[1] };
  }
  return null;
}

/** The float32 values of image `batchIndex`, checking the data length against the shape. */
function sliceBatch(raw: Float32Array, shape: readonly number[], perImage: number, batchIndex = 0): Float32Array {
  if (shape.some((d) => d === -1)) {
    throw new LaneDecodeError(
      `shape [${shape.join(', ')}] has a dynamic (-1) dimension: pass the concrete output shape`,
    );
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (raw.length !== total) {
    throw new LaneDecodeError(
      `output shape [${shape.join(', ')}] needs ${total} float32 values (${total * 4} bytes), got ${raw.length} (${raw.length * 4} bytes)`,
    );
  }
  const batch = total / perImage;
  if (!(Number.isInteger(batchIndex) && batchIndex >= 0 && batchIndex < batch)) {
    throw new LaneDecodeError(`batchIndex ${batchIndex} is out of range for a batch of ${batch}`);
  }
  return batch === 1 ? raw : raw.subarray(batchIndex * perImage, (batchIndex + 1) * perImage);
}

const confSlider = (description: string): OptionDescriptor => ({
  key: 'conf',
  label: 'Confidence',
  kind: 'number',
  min: 0,
  max: 1,
  step: 0.01,
  description,
});
const nmsSlider: OptionDescriptor = {
  key: 'nms',
  label: 'NMS threshold (px)',
  kind: 'number',
  min: 0,
  max: 200,
  step: 1,
  description: 'Suppress a proposal whose mean horizontal distance to a kept one is below this (input pixels).',
};
const topkSlider: OptionDescriptor = {
  key: 'topk',
  label: 'Max lanes (top-k)',
  kind: 'integer',
  min: 1,
  max: 20,
  step: 1,
  description: 'Maximum proposals kept by the NMS (a kept proposal with < 2 points still uses a slot).',
};

export const laneattDecoder: LaneDecoder<LaneAttOptions, LaneAttResult> = {
  name: 'laneatt',
  label: 'LaneATT (raw proposals [N, 77])',
  description: 'LaneATT exported without NMS: 2 class logits, start_y, start_x, length, 72 x positions.',
  defaults: LANEATT_DEFAULTS,
  presets: {
    tusimple: { conf: 0.2, nms: 45, topk: 5 },
    culane: { conf: 0.5, nms: 50, topk: 4 },
    llamas: { conf: 0.5, nms: 50, topk: 4 },
  },
  options: [
    confSlider('Keep proposals whose lane probability is strictly above this.'),
    nmsSlider,
    topkSlider,
    {
      key: 'scoresAreProbs',
      label: 'Scores already softmaxed',
      kind: 'boolean',
      description: 'Columns 0-1 hold probabilities (softmax inside the exported graph): do not softmax again.',
    },
  ],
  matchesShape: (shape) => proposalRows(shape, 77) !== null,
  decode(raw, shape, options = {}) {
    const p = proposalRows(shape, 77);
    if (!p)
      throw new LaneDecodeError(`LaneATT expects an output of shape [N, 77] or [B, N, 77], got [${shape.join(', ')}]`);
    return decodeLaneAtt(sliceBatch(raw, shape, p.rows * 77, options.batchIndex), options);
  },
};

export const ufldDecoder: LaneDecoder<UfldOptions, UfldResult> = {
  name: 'ufld',
  label: 'Ultra-Fast-Lane-Detection v1 ([1, G+1, R, L])',
  description: 'Row-anchor classification logits: G column cells + "absent" per row anchor and lane slot.',
  // Dataset and mode follow the shape: TuSimple shapes -> tusimple-eval, CULane shapes -> culane-eval.
  defaults: {},
  presets: {
    tusimple: { dataset: 'tusimple', mode: 'tusimple-eval' },
    culane: { dataset: 'culane', mode: 'culane-eval' },
    demo: { mode: 'demo' },
  },
  options: [
    {
      key: 'mode',
      label: 'Decode',
      kind: 'choice',
      choices: ['tusimple-eval', 'culane-eval', 'demo'],
      description: 'Which upstream decode to mirror (evaluation scripts or demo.py visualisation).',
    },
    {
      key: 'dataset',
      label: 'Dataset',
      kind: 'choice',
      choices: ['tusimple', 'culane'],
      description: 'Row anchors and griding; recognised from the shape when omitted.',
    },
  ],
  matchesShape(shape) {
    const s = parseUfldShape(shape.length === 4 && shape[0] === -1 ? [1, ...shape.slice(1)] : shape);
    return s !== null && s.slots <= 16 && s.cells > s.slots;
  },
  decode(raw, shape, options = {}) {
    const s = parseUfldShape(shape);
    if (!s) throw new LaneDecodeError(`UFLD expects an output of shape [1, G+1, R, L], got [${shape.join(', ')}]`);
    if (shape.length === 4 && shape[0] !== 1) {
      throw new LaneDecodeError(`UFLD decodes one image: batch must be 1, got shape [${shape.join(', ')}]`);
    }
    return decodeUfld(raw, shape, options);
  },
};

export const clrnetDecoder: LaneDecoder<ClrNetOptions, ClrNetResult> = {
  name: 'clrnet',
  label: 'CLRNet (priors [192, 78])',
  description: 'CLRNet last refinement stage: 2 logits, start_y, start_x, theta, length, 72 normalised xs.',
  defaults: CLRNET_DEFAULTS,
  presets: {
    culane: { conf: 0.4, nms: 50, topk: 4, origW: 1640, origH: 590, cutHeight: 270 },
    tusimple: { conf: 0.4, nms: 50, topk: 5, origW: 1280, origH: 720, cutHeight: 160 },
  },
  options: [confSlider('Keep predictions whose lane probability is at least this.'), nmsSlider, topkSlider],
  matchesShape: (shape) => proposalRows(shape, CLRNET_COLS) !== null,
  decode(raw, shape, options = {}) {
    const p = proposalRows(shape, CLRNET_COLS);
    if (!p)
      throw new LaneDecodeError(`CLRNet expects an output of shape [N, 78] or [B, N, 78], got [${shape.join(', ')}]`);
    return decodeClrNet(sliceBatch(raw, shape, p.rows * CLRNET_COLS, options.batchIndex), options);
  },
};

export const decoders = { laneatt: laneattDecoder, ufld: ufldDecoder, clrnet: clrnetDecoder } as const;

export const decoderNames: DecoderName[] = ['laneatt', 'ufld', 'clrnet'];

export function getDecoder(name: string): (typeof decoders)[DecoderName] {
  if (!(decoderNames as string[]).includes(name)) {
    throw new LaneDecodeError(`unknown decoder '${name}' (known: ${decoderNames.join(', ')})`);
  }
  return decoders[name as DecoderName];
}

export interface DecoderSuggestion {
  name: DecoderName;
  /** 'exact': the shape is one a known config produces; 'possible': the layout fits. */
  confidence: 'exact' | 'possible';
  reason: string;
}

/** Decoders that can read an output of this shape, best first (empty when none fits). */
export function suggestDecoders(shape: readonly number[]): DecoderSuggestion[] {
  const out: DecoderSuggestion[] = [];
  const la = proposalRows(shape, 77);
  if (la) {
    const exact = la.rows === FULL_ANCHOR_COUNT || la.rows === 1000;
    out.push({
      name: 'laneatt',
      confidence: exact ? 'exact' : 'possible',
      reason: exact
        ? `${la.rows} x 77: LaneATT proposals (${la.rows === 1000 ? 'official 1000-anchor checkpoint' : 'full 2784-anchor set'})`
        : `${la.rows} x 77 matches LaneATT's row layout`,
    });
  }
  const cl = proposalRows(shape, CLRNET_COLS);
  if (cl) {
    const exact = cl.rows === 192;
    out.push({
      name: 'clrnet',
      confidence: exact ? 'exact' : 'possible',
      reason: exact ? '192 x 78: CLRNet priors' : `${cl.rows} x 78 matches CLRNet's row layout`,
    });
  }
  const normalized = shape.length === 4 && shape[0] === -1 ? [1, ...shape.slice(1)] : shape;
  if (ufldDecoder.matchesShape(shape)) {
    const ds = ufldDatasetOf(normalized);
    out.push({
      name: 'ufld',
      confidence: ds ? 'exact' : 'possible',
      reason: ds
        ? `UFLD ${ds} config (${normalized.slice(-3).join(' x ')})`
        : 'fits UFLD [1, G+1, R, L] (pass dataset and row anchors)',
    });
  }
  return out.sort((a, b) => (a.confidence === b.confidence ? 0 : a.confidence === 'exact' ? -1 : 1));
}
