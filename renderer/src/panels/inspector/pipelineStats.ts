/**
 * Per-stage timings of the frame pipeline (capture, tensor, worker handoff, bridge, gRPC, unpack,
 * decode, result-to-paint, and capture-to-result in total),
 * kept in fixed-size rings and readable from outside the app as `globalThis.__tritonscopePipeline`
 * — what `npm run bench` (bench/pipeline.bench.ts) reads in real Chromium. Cheap enough to be always on.
 */
import { usePlayback } from './playback';

export type Stage = 'capture' | 'tensor' | 'handoff' | 'bridge' | 'grpc' | 'unpack' | 'decode' | 'paint' | 'total';
const SIZE = 4096;

class Ring {
  private values = new Float64Array(SIZE);
  private n = 0;
  push(v: number) {
    this.values[this.n++ % SIZE] = v;
  }
  list(): number[] {
    return Array.from(this.values.subarray(0, Math.min(this.n, SIZE)));
  }
  clear() {
    this.n = 0;
  }
}

const rings = new Map<Stage, Ring>();

export function recordStage(stage: Stage, ms: number): void {
  if (!Number.isFinite(ms)) return;
  let r = rings.get(stage);
  if (!r) rings.set(stage, (r = new Ring()));
  r.push(ms);
}

export interface PipelineSnapshot {
  stages: Partial<Record<Stage, number[]>>;
  requestsSent: number;
  requestsDone: number;
  answers: number;
  framesDropped: number;
  framesShown: number;
  /** The frame the video is at (shown or not): frames shown vs frames the video went through. */
  frameIndex: number;
}

const api = {
  snapshot(): PipelineSnapshot {
    const p = usePlayback.getState();
    return {
      stages: Object.fromEntries([...rings].map(([k, r]) => [k, r.list()])),
      requestsSent: p.requestsSent,
      requestsDone: p.requestsDone,
      answers: p.answers,
      framesDropped: p.framesDropped,
      framesShown: p.framesShown,
      frameIndex: p.index,
    };
  },
  reset(): void {
    rings.forEach((r) => r.clear());
  },
};

(globalThis as { __tritonscopePipeline?: typeof api }).__tritonscopePipeline = api;
