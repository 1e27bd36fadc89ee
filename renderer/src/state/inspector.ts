/**
 * Inspector state: the frame source (images or a video), whether it plays, preprocessing
 * and decoder settings, overlay layers, ground truth, and the A/B comparison setup.
 */
import type { Slice } from './store';
import type { TusimpleFrame } from '../../../shared/lanes/tusimple';
import { LANE_PREPROCESS, type DecoderSettings, type PreprocessSettings } from '../../../shared/inference';

export type { DecoderSettings, PreprocessSettings };
export { IMAGENET } from '../../../shared/inference';

export interface ImageItem {
  name: string;
  /** Its path inside an opened folder (matches TuSimple raw_file paths where names repeat). */
  path?: string;
  blob: Blob;
}

export type FrameSource =
  | {
      kind: 'images';
      items: ImageItem[];
      label: string;
      /** Images of the folder that are masks or segmentation labels, not frames (not opened). */
      masksSkipped?: number;
    }
  | {
      kind: 'video';
      name: string;
      url: string;
      /** revoke on replace */ objectUrl: boolean;
      /** The file itself: its container is read for the frame times (the CSP keeps blob: URLs from fetch). */
      file?: Blob;
    };

export interface ModelSlot {
  /** Connection profile id (A/B may compare two servers). null = the active server. */
  connectionId: string | null;
  model: string | null;
}

export type AbMode = 'off' | 'side' | 'overlay';

export interface Layers {
  lanes: boolean;
  labels: boolean;
  proposals: boolean;
  gt: boolean;
  /** A/B: rows of matched lanes coloured by |Δx|. */
  delta: boolean;
}

export interface InspectorSlice {
  source: FrameSource | null;
  sourceError: string | null;
  playing: boolean;
  /** Assumed/estimated frame rate of the video (for step and frame numbers). */
  videoFps: number;
  /** Image sequences: playback rate. */
  imageFps: number;
  preprocess: PreprocessSettings;
  slots: { a: ModelSlot; b: ModelSlot };
  abMode: AbMode;
  decoder: DecoderSettings;
  layers: Layers;
  autoInfer: boolean;
  maxInFlight: number;
  gt: { name: string; frames: TusimpleFrame[] } | null;
  gtError: string | null;

  setSource(src: FrameSource | null): void;
  setSourceError(e: string | null): void;
  setPlaying(p: boolean): void;
  setVideoFps(fps: number): void;
  setPreprocess(p: Partial<PreprocessSettings>): void;
  setSlot(which: 'a' | 'b', s: Partial<ModelSlot>): void;
  setAbMode(m: AbMode): void;
  setDecoderId(id: string): void;
  setDecoderOption(id: string, key: string, value: number | boolean | string): void;
  setLayers(l: Partial<Layers>): void;
  setAutoInfer(v: boolean): void;
  setMaxInFlight(n: number): void;
  setGt(gt: { name: string; frames: TusimpleFrame[] } | null, error?: string | null): void;
}

export const createInspectorSlice: Slice<InspectorSlice> = (set, get) => ({
  source: null,
  sourceError: null,
  playing: false,
  videoFps: 30,
  imageFps: 5,
  preprocess: { ...LANE_PREPROCESS, mean: [...LANE_PREPROCESS.mean], std: [...LANE_PREPROCESS.std] },
  slots: { a: { connectionId: null, model: null }, b: { connectionId: null, model: null } },
  abMode: 'off',
  decoder: { id: 'auto', options: {} },
  layers: { lanes: true, labels: true, proposals: false, gt: true, delta: true },
  autoInfer: true,
  maxInFlight: 2,
  gt: null,
  gtError: null,

  setSource(source) {
    const prev = get().source;
    if (prev?.kind === 'video' && prev.objectUrl && prev !== source) URL.revokeObjectURL(prev.url);
    set({
      source,
      sourceError: null,
      playing: false,
    });
    get().clearResults();
  },
  setSourceError(sourceError) {
    set({ sourceError });
  },
  setPlaying(playing) {
    set({ playing });
  },
  setVideoFps(videoFps) {
    set({ videoFps });
  },
  setPreprocess(p) {
    set({ preprocess: { ...get().preprocess, ...p } });
    get().clearResults();
  },
  setSlot(which, s) {
    set({ slots: { ...get().slots, [which]: { ...get().slots[which], ...s } } });
    get().clearResults(which);
  },
  setAbMode(abMode) {
    set({ abMode });
  },
  setDecoderId(id) {
    set({ decoder: { ...get().decoder, id } });
  },
  setDecoderOption(id, key, value) {
    const d = get().decoder;
    set({ decoder: { ...d, options: { ...d.options, [id]: { ...(d.options[id] ?? {}), [key]: value } } } });
  },
  setLayers(l) {
    set({ layers: { ...get().layers, ...l } });
  },
  setAutoInfer(autoInfer) {
    set({ autoInfer });
  },
  setMaxInFlight(maxInFlight) {
    set({ maxInFlight: Math.max(1, Math.min(8, Math.round(maxInFlight))) });
  },
  setGt(gt, error = null) {
    set({ gt, gtError: error });
  },
});
