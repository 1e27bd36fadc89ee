/**
 * Raw inference results, cached per (slot, frame), so decoder sliders re-decode without a new
 * request, and the last inference error per slot (counters and rates live in the inspector's playback store).
 */
import type { Slice } from './store';

export interface Timing {
  /** Frame capture + resize + tensor build in the renderer. */
  preprocessMs: number;
  /** Of which: reading and resizing the frame's pixels, and building the tensor from them. */
  captureMs?: number;
  tensorMs?: number;
  /** The services' part of the request (encode, gRPC, decode), as they measured it. */
  servicesMs?: number;
  /** Renderer -> services -> Triton -> back (whole round trip). */
  requestMs: number;
  /** Of which: the gRPC call as measured by the services. */
  rpcMs?: number;
  /** Output bytes -> Float32 values. */
  unpackMs?: number;
  /** Frame worker only: main -> worker and worker -> main messages, including either side's queueing. */
  handoffMs?: number;
  /** Frame captured -> result back on the main thread. */
  totalMs?: number;
  /** Filled by the view: decoding the raw output (re-measured on every re-decode). */
  decodeMs?: number;
}

export interface RawResult {
  frameKey: string;
  frameIndex: number;
  model: string;
  output: { name: string; datatype: string; shape: number[]; values: Float32Array };
  /** Size of the frame the result belongs to (decoder scales lanes to it). */
  frameW: number;
  frameH: number;
  timing: Timing;
  at: number;
}

export interface InferenceSlice {
  /** key `${slot}|${frameKey}` */
  results: Record<string, RawResult>;
  /** Latest result per slot (video shows the newest even if it is for an older frame). */
  latest: { a: RawResult | null; b: RawResult | null };
  inferErrors: { a: string | null; b: string | null };
  /**
   * Per slot, bumped whenever its results are cleared: a request started before the bump computed
   * with what was cleared (another source, model or preprocessing), so its answer is not stored.
   */
  resultsGeneration: { a: number; b: number };

  /** Forget cached results (of one slot, or all). */
  clearResults(slot?: 'a' | 'b'): void;
  putResult(slot: 'a' | 'b', r: RawResult): void;
  /** Several results in one store update (the inspector delivers a video's results once per frame). */
  putResults(entries: readonly (readonly ['a' | 'b', RawResult])[]): void;
  setInferError(slot: 'a' | 'b', e: string | null): void;
}

const MAX_CACHED = 300;

export const createInferenceSlice: Slice<InferenceSlice> = (set, get) => ({
  results: {},
  latest: { a: null, b: null },
  inferErrors: { a: null, b: null },
  resultsGeneration: { a: 0, b: 0 },

  clearResults(slot) {
    const g = get().resultsGeneration;
    if (!slot) {
      set({
        results: {},
        latest: { a: null, b: null },
        inferErrors: { a: null, b: null },
        resultsGeneration: { a: g.a + 1, b: g.b + 1 },
      });
      return;
    }
    const results = Object.fromEntries(Object.entries(get().results).filter(([k]) => !k.startsWith(`${slot}|`)));
    set({
      results,
      latest: { ...get().latest, [slot]: null },
      inferErrors: { ...get().inferErrors, [slot]: null },
      resultsGeneration: { ...g, [slot]: g[slot] + 1 },
    });
  },
  putResult(slot, r) {
    get().putResults([[slot, r]]);
  },
  putResults(entries) {
    if (!entries.length) return;
    let results = { ...get().results };
    const latest = { ...get().latest };
    const inferErrors = { ...get().inferErrors };
    for (const [slot, r] of entries) {
      results[`${slot}|${r.frameKey}`] = r;
      const prev = latest[slot];
      if (!prev || prev.at <= r.at) latest[slot] = r;
      inferErrors[slot] = null;
    }
    const keys = Object.keys(results);
    if (keys.length > MAX_CACHED) {
      // Evict the oldest entries (video playback would otherwise grow without bound).
      const sorted = keys.sort((x, y) => results[x].at - results[y].at);
      results = Object.fromEntries(sorted.slice(keys.length - MAX_CACHED).map((k) => [k, results[k]]));
    }
    set({ results, latest, inferErrors });
  },
  setInferError(slot, e) {
    set({ inferErrors: { ...get().inferErrors, [slot]: e } });
  },
});
