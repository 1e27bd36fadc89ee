/**
 * The one decode policy: which decoder reads a model output, with which options. The UI, the
 * exporters and `tritonscope infer`/`compare` all decode through here, so the same raw output and
 * the same settings give the same lanes everywhere.
 *
 * Policy: the decoder is the one named in the settings, or ('auto') the first the registry suggests
 * for the output shape. Options are the decoder's own defaults, then its TuSimple preset where it has
 * one (LaneATT's 640x360 input and the demo model follow that config: conf 0.2, nms 45, top-k 5; the
 * registry's bare defaults are CULane's), then the user's overrides. '' in a choice option means
 * "auto" (left to the decoder).
 */
import { decoders, decoderNames, suggestDecoders, type DecoderName } from '../lanes/registry';
import type { Lane, OptionDescriptor, Proposal } from '../lanes/types';

export type OptionValue = number | boolean | string;

export interface DecoderSettings {
  /** 'auto' (suggested from the output shape) or a decoder name. */
  id: string;
  /** Option overrides by key (conf, nms, topk, ...), per decoder name. */
  options: Readonly<Record<string, Readonly<Record<string, OptionValue>>>>;
}

export const AUTO_DECODER: DecoderSettings = { id: 'auto', options: {} };

/** Upper bound on pre-NMS proposals returned for drawing (the overlay is unreadable beyond this). */
export const MAX_DRAWN_PROPOSALS = 400;

export interface DecodedLanes {
  decoder: DecoderName;
  /** The options actually used (defaults + preset + overrides). */
  options: Record<string, OptionValue>;
  lanes: Lane[];
  proposals?: Proposal[];
  /** Extra numbers worth showing (proposals above threshold, NMS kept, ...). */
  info: Record<string, number | string>;
}

export interface DecoderInfo {
  id: DecoderName;
  label: string;
  description: string;
  options: readonly OptionDescriptor[];
  defaults: Record<string, OptionValue>;
  presets: Record<string, Record<string, OptionValue>>;
}

function plainValues(d: object): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(d))
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[k] = v;
  return out;
}

/** Every decoder with the policy's default options (what a slider shows before it is moved). */
export const DECODERS: readonly DecoderInfo[] = decoderNames.map((name) => {
  const d = decoders[name];
  const presets = d.presets as Record<string, object>;
  return {
    id: name,
    label: d.label,
    description: d.description,
    options: d.options,
    defaults: { ...plainValues(d.defaults), ...plainValues(presets.tusimple ?? {}) },
    presets: Object.fromEntries(Object.entries(presets).map(([k, v]) => [k, plainValues(v)])),
  };
});

export function decoderInfo(id: string): DecoderInfo | undefined {
  return DECODERS.find((d) => d.id === id);
}

export function suggestedDecoder(shape: readonly number[] | undefined): DecoderInfo | undefined {
  const s = shape ? suggestDecoders(shape)[0] : undefined;
  return s ? decoderInfo(s.name) : undefined;
}

export function suggestionReason(shape: readonly number[] | undefined): string | undefined {
  return shape ? suggestDecoders(shape)[0]?.reason : undefined;
}

/** The decoder the settings choose for an output of this shape (undefined: none fits / unknown id). */
export function resolveDecoder(
  settings: DecoderSettings,
  shape: readonly number[] | undefined,
): DecoderInfo | undefined {
  return settings.id === 'auto' ? suggestedDecoder(shape) : decoderInfo(settings.id);
}

/** The options a decode with these settings uses: defaults + preset, then the user's overrides. */
export function effectiveOptions(decoder: DecoderInfo, settings: DecoderSettings): Record<string, OptionValue> {
  return { ...decoder.defaults, ...(settings.options[decoder.id] ?? {}) };
}

function infoOf(r: Record<string, unknown>): Record<string, number | string> {
  const info: Record<string, number | string> = {};
  if (typeof r.nProposals === 'number') info.rows = r.nProposals;
  if (typeof r.nAboveConf === 'number') info['above conf'] = r.nAboveConf;
  if (Array.isArray(r.nmsKeep)) info['NMS kept'] = r.nmsKeep.length;
  if (Array.isArray(r.dropped) && r.dropped.length) info.dropped = r.dropped.length;
  if (typeof r.dataset === 'string') info.dataset = r.dataset;
  if (typeof r.mode === 'string') info.mode = r.mode;
  return info;
}

/** Decodes with one decoder and explicit option values (lanes in pixels of a frame of `frame` size). */
export function decodeWith(
  decoder: DecoderInfo,
  options: Record<string, OptionValue>,
  raw: Float32Array,
  shape: readonly number[],
  frame: { w: number; h: number },
  wantProposals = false,
): DecodedLanes {
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== ''));
  const full = { ...set, origW: frame.w, origH: frame.h, proposals: wantProposals, maxProposals: MAX_DRAWN_PROPOSALS };
  // Each registry decoder takes its own option type; the values come from its descriptors.
  const decode = decoders[decoder.id].decode.bind(decoders[decoder.id]) as (
    r: Float32Array,
    s: readonly number[],
    o: object,
  ) => { lanes: Lane[]; proposals?: Proposal[] };
  const r = decode(raw, shape, full);
  return {
    decoder: decoder.id,
    options,
    lanes: r.lanes,
    proposals: r.proposals,
    info: infoOf(r),
  };
}

/**
 * Decodes a raw output under the settings. Throws a clear error when no decoder fits the shape
 * (the message names the output) or when the decoder rejects the data.
 */
export function decodeOutput(
  output: { name: string; shape: readonly number[]; values: Float32Array },
  frame: { w: number; h: number },
  settings: DecoderSettings,
  wantProposals = false,
): DecodedLanes {
  const decoder = resolveDecoder(settings, output.shape);
  if (!decoder) {
    throw new Error(
      settings.id === 'auto'
        ? `no decoder matches output '${output.name}' [${output.shape.join(',')}]; pick one explicitly`
        : `unknown decoder '${settings.id}' (known: ${decoderNames.join(', ')})`,
    );
  }
  return decodeWith(decoder, effectiveOptions(decoder, settings), output.values, output.shape, frame, wantProposals);
}
