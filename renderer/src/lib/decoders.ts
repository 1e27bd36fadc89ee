/**
 * The inspector's view of the shared/lanes decoder registry: one call signature (raw values +
 * shape + frame size + option values -> lanes and proposals), option descriptors for the sliders,
 * and the suggestion from the output shape. Decoding itself is entirely shared/lanes.
 */
import {
  decoders,
  decoderNames,
  suggestDecoders,
  type Lane,
  type OptionDescriptor,
  type Proposal,
} from '../../../shared/lanes';

export type OptionValue = number | boolean | string;

export interface UiDecodeResult {
  lanes: Lane[];
  proposals?: Proposal[];
  /** Extra numbers worth showing (proposals above threshold, NMS kept, ...). */
  info: Record<string, number | string>;
}

export interface UiDecoder {
  id: string;
  label: string;
  description: string;
  options: readonly OptionDescriptor[];
  defaults: Record<string, OptionValue>;
  presets: Record<string, Record<string, OptionValue>>;
  decode(
    raw: Float32Array,
    shape: readonly number[],
    frame: { w: number; h: number },
    opts: Record<string, OptionValue>,
    wantProposals: boolean,
  ): UiDecodeResult;
}

function numericDefaults(d: object): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(d))
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[k] = v;
  return out;
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

export const UI_DECODERS: UiDecoder[] = decoderNames.map((name) => {
  const d = decoders[name];
  return {
    id: name,
    label: d.label,
    description: d.description,
    options: d.options,
    // Start from the TuSimple preset where there is one: the 640x360 LaneATT input (and our demo
    // model) follow that config (conf 0.2, nms 45, top-k 5); the registry's own defaults are CULane's.
    defaults: {
      ...numericDefaults(d.defaults),
      ...numericDefaults((d.presets as Record<string, object>).tusimple ?? {}),
    },
    presets: Object.fromEntries(Object.entries(d.presets).map(([k, v]) => [k, numericDefaults(v)])),
    decode(raw, shape, frame, opts, wantProposals) {
      // '' = "auto" in a choice option: leave it to the decoder.
      const set = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== ''));
      const options = { ...set, origW: frame.w, origH: frame.h, proposals: wantProposals, maxProposals: 400 };
      // Each registry decoder accepts its own option type; the values come from its descriptors.
      const r = (
        d.decode as (
          raw: Float32Array,
          shape: readonly number[],
          o: object,
        ) => { lanes: Lane[]; proposals?: Proposal[] }
      )(raw, shape, options);
      return { lanes: r.lanes, proposals: r.proposals, info: infoOf(r as unknown as Record<string, unknown>) };
    },
  };
});

export function decoderById(id: string): UiDecoder | undefined {
  return UI_DECODERS.find((d) => d.id === id);
}

export function suggestDecoder(shape: readonly number[] | undefined): UiDecoder | undefined {
  if (!shape) return undefined;
  const s = suggestDecoders(shape)[0];
  return s ? decoderById(s.name) : undefined;
}

export function suggestionReason(shape: readonly number[] | undefined): string | undefined {
  return shape ? suggestDecoders(shape)[0]?.reason : undefined;
}
