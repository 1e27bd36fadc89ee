/**
 * High-frequency playback and pipeline state (current frame, frame count, measured rates, request
 * counters), in a store of its own so a frame change re-renders only the few small components that
 * show these numbers, never the inspector panel or the app store's subscribers.
 */
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { create } from 'zustand';
import type { FrameTimeline } from '../../../../shared/media';

/**
 * Where a video's frame times come from: its container ('file'), being read ('reading'), or, for a
 * container we cannot read, the frame rate measured while playing ('estimated', with the reason).
 */
export type VideoTiming =
  | { kind: 'none' }
  | { kind: 'reading' }
  | { kind: 'file'; timeline: FrameTimeline }
  | { kind: 'estimated'; reason: string };

export interface PlaybackState {
  /** Index of the frame on the stage. */
  index: number;
  count: number;
  /** Frames per second the display showed over the last second (while playing). */
  displayFps: number;
  /** Results delivered per second over the last second. */
  inferFps: number;
  inFlight: number;
  requestsSent: number;
  /** Requests finished: answered, failed, or not sent (a capture the video had moved on from). */
  requestsDone: number;
  /** Requests answered with an output (what the pipeline benchmark counts as delivered). */
  answers: number;
  /** Frames not sent because the in-flight limit was reached (video skips, never queues). */
  framesDropped: number;
  /** New frames shown while playing (counted per session, for the pipeline benchmark). */
  framesShown: number;
  /** The video's frame times (images: none). */
  timing: VideoTiming;

  seek(i: number): void;
  setCount(n: number): void;
  /** Resets position and rates for a new source (counters keep counting: they are per session). */
  reset(count: number): void;
}

export const usePlayback = create<PlaybackState>()((set, get) => ({
  index: 0,
  count: 0,
  displayFps: 0,
  inferFps: 0,
  inFlight: 0,
  requestsSent: 0,
  requestsDone: 0,
  answers: 0,
  framesDropped: 0,
  framesShown: 0,
  timing: { kind: 'none' },
  seek(i) {
    const n = get().count;
    const index = n > 0 ? Math.max(0, Math.min(n - 1, Math.round(i))) : 0;
    if (index !== get().index) set({ index });
  },
  setCount(count) {
    if (count !== get().count) set({ count, index: Math.min(get().index, Math.max(0, count - 1)) });
  },
  reset(count) {
    set({ index: 0, count, displayFps: 0, timing: { kind: 'none' } });
  },
}));

/** Events per second over a sliding one-second window. */
export class RateMeter {
  private times: number[] = [];
  tick(now = performance.now()): number {
    this.times.push(now);
    while (this.times.length && now - this.times[0] > 1000) this.times.shift();
    return this.times.length;
  }
}

/** What a playback readout selects: compared by value, so an unchanged one does not re-render. */
type Primitive = string | number | boolean | null;

/**
 * A playback value for display, read `hz` times a second instead of on every change: rates and
 * request counters move on every frame and every request, and a readout needs no more than a few
 * updates a second (a subscription would render React 60+ times a second during playback).
 */
export function usePlaybackSampled<T extends Primitive>(select: (s: PlaybackState) => T, hz = 4): T {
  return usePlaybackPaced(select, true, hz);
}

/**
 * A playback value that follows every change while paused (a step shows at once) and is read `hz`
 * times a second while playing. The frame counter, time and seek slider change with every video frame,
 * and each change made the page lay out, paint and commit a frame of its own on the main thread, which
 * the video itself (drawn by the compositor) does not need. `select` must return a primitive.
 */
export function usePlaybackPaced<T extends Primitive>(select: (s: PlaybackState) => T, playing: boolean, hz = 10): T {
  const selectRef = useRef(select);
  selectRef.current = select;
  const [value, setValue] = useState(() => select(usePlayback.getState()));
  // What the last commit showed. Paused, the value shown is computed at render from the store, so
  // it can differ from `value`: the render that stops playback shows the frame the loop published
  // last, and pause() then moves the store back a frame, to the very `value` sampled before. Setting
  // an equal state renders nothing, and the counter kept naming the frame after the one shown.
  const shown = useRef(value);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const read = () => {
      const now = selectRef.current(usePlayback.getState());
      setValue(now);
      if (!playing && !Object.is(now, shown.current)) rerender();
    };
    read();
    if (!playing) return usePlayback.subscribe(read);
    const timer = setInterval(read, 1000 / hz);
    return () => {
      clearInterval(timer);
      read(); // where playback stopped, at once
    };
  }, [playing, hz]);
  // Paused, computed now: `select` may close over other state (the measured frame rate) that changed.
  const out = playing ? value : select(usePlayback.getState());
  useLayoutEffect(() => {
    shown.current = out;
  });
  return out;
}
