/**
 * Inspector state: the frame source (images or a video), the playback position, preprocessing
 * and decoder settings, overlay layers, ground truth, and the A/B comparison setup.
 */
import type { Slice } from './store';
import type { TusimpleFrame } from '../../../shared/lanes/tusimple';

export interface ImageItem {
  name: string;
  blob: Blob;
}

export type FrameSource =
  | { kind: 'images'; items: ImageItem[]; label: string }
  | { kind: 'video'; name: string; url: string; /** revoke on replace */ objectUrl: boolean };

export interface PreprocessSettings {
  channelOrder: 'RGB' | 'BGR';
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
  /** 'auto' = the model input's datatype from its metadata. */
  dtype: 'auto' | 'FP32' | 'FP16';
}

export interface ModelSlot {
  /** Connection profile id (A/B may compare two servers). null = the active server. */
  connectionId: string | null;
  model: string | null;
}

export type AbMode = 'off' | 'side' | 'overlay';

export interface DecoderSettings {
  /** 'auto' = suggested from the output shape. */
  id: string;
  /** Option values by key (conf, nms, topk, ...), per decoder id. */
  options: Record<string, Record<string, number | boolean | string>>;
}

export interface Layers {
  lanes: boolean;
  labels: boolean;
  proposals: boolean;
  gt: boolean;
}

export interface InspectorSlice {
  source: FrameSource | null;
  sourceError: string | null;
  frameIndex: number;
  frameCount: number;
  /** Natural size of the current frame. */
  frameSize: { w: number; h: number } | null;
  playing: boolean;
  /** Frames per second the display is showing while playing (measured). */
  displayFps: number;
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
  setFrame(i: number): void;
  setFrameCount(n: number): void;
  setFrameSize(s: { w: number; h: number } | null): void;
  setPlaying(p: boolean): void;
  setDisplayFps(fps: number): void;
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

/** Image-net mean/std is what most lane models (LaneATT, UFLD) were trained with. */
export const IMAGENET = {
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};

export const createInspectorSlice: Slice<InspectorSlice> = (set, get) => ({
  source: null,
  sourceError: null,
  frameIndex: 0,
  frameCount: 0,
  frameSize: null,
  playing: false,
  displayFps: 0,
  videoFps: 30,
  imageFps: 5,
  // LaneATT's preprocessing (the demo models and our users' models): BGR, /255, no mean/std
  preprocess: { channelOrder: 'BGR', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], dtype: 'auto' },
  slots: { a: { connectionId: null, model: null }, b: { connectionId: null, model: null } },
  abMode: 'off',
  decoder: { id: 'auto', options: {} },
  layers: { lanes: true, labels: true, proposals: false, gt: true },
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
      frameIndex: 0,
      frameCount: source?.kind === 'images' ? source.items.length : 0,
      playing: false,
      frameSize: null,
      displayFps: 0,
    });
    get().clearResults();
  },
  setSourceError(sourceError) {
    set({ sourceError });
  },
  setFrame(i) {
    const n = get().frameCount;
    const idx = n > 0 ? Math.max(0, Math.min(n - 1, Math.round(i))) : 0;
    if (idx !== get().frameIndex) set({ frameIndex: idx });
  },
  setFrameCount(frameCount) {
    set({ frameCount });
  },
  setFrameSize(frameSize) {
    const cur = get().frameSize;
    if (cur && frameSize && cur.w === frameSize.w && cur.h === frameSize.h) return;
    set({ frameSize });
  },
  setPlaying(playing) {
    set({ playing, ...(playing ? {} : { displayFps: 0 }) });
  },
  setDisplayFps(displayFps) {
    set({ displayFps });
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
