/**
 * One frame through a model: the frame's pixels resized to the model input, the input tensor built
 * with shared/inference (the input detection and preprocessing the CLI uses too), the request, and
 * the output turned back into float32 values. Timed per stage for the latency breakdown.
 *
 * The work runs in the frame worker (./frameWorker): the main thread only captures the frame (a
 * VideoFrame, no pixel copy) and receives the output values. An FP32/FP16 image input travels as
 * its 8-bit planes; the services widen it (contract ImageInput). In browser mode the worker also sends
 * the request over its own bridge connection; in Electron it returns the tensor and the main thread
 * sends it over IPC. Without a usable worker everything runs here, on the main thread.
 */
import { imageInputOf, pickLaneOutput, type PreprocessSettings } from '../../../shared/inference';
import type { ModelMetadata } from '../../../shared/contract';
import { bridgeUrl, getApi, getApiMode } from '../../api';
import type { RawResult, Timing } from '../state/inference';
import { framePixels } from './framePixels';
import { captureFrame, frameWorker, FrameWorkerUnavailable } from './frameWorker/client';
import { frameInput, unpackOutput } from './frameWorker/job';
import { wallNow, type FrameInput } from './frameWorker/protocol';

export { framePixels } from './framePixels';

export interface FrameArgs {
  connectionId: string;
  meta: ModelMetadata;
  source: CanvasImageSource;
  frameW: number;
  frameH: number;
  frameKey: string;
  frameIndex: number;
  pre: PreprocessSettings;
  /**
   * A video frame: the frame to send a capture as, from the captured frame's media time
   * (microseconds). The capture happens when the request starts, and a video plays (or is stepped)
   * on meanwhile, so the pixels may be another frame's than the one the request was made for: they
   * go out under that frame's key, or not at all (null: e.g. that frame has a result already).
   */
  frameAt?: (timestampUs: number) => { key: string; index: number } | null;
  /**
   * Sent after the task that saw the frame (a place freed while the video plays): only a capture
   * with a frame timestamp may go out (see frameByPosition).
   */
  late?: boolean;
}

/** The video had moved on by the time it was captured, to a frame not to send (FrameArgs.frameAt): nothing was sent. */
export class StaleFrameError extends Error {
  constructor() {
    super('the video moved on before the frame was captured');
    this.name = 'StaleFrameError';
  }
}

export async function inferFrame(args: FrameArgs): Promise<RawResult> {
  const worker = frameWorker(() => (getApiMode() === 'browser' ? bridgeUrl(window.location) : null));
  if (worker) {
    const t0 = performance.now();
    const frame = await captureFrame(args.source);
    if (frame) {
      const as = args.frameAt && ('timestamp' in frame ? args.frameAt(frame.timestamp) : frameByPosition(args));
      if (as === null) {
        frame.close();
        throw new StaleFrameError();
      }
      try {
        return await inferInWorker(as ? { ...args, frameKey: as.key, frameIndex: as.index } : args, worker, frame, t0);
      } catch (e) {
        // A worker that cannot run (e.g. its script blocked): this frame and every later one take
        // the main-thread path. Its capture is newer than the one checked above and a playing
        // video's cannot be checked (no timestamp): that one frame is not sent.
        if (!(e instanceof FrameWorkerUnavailable)) throw e;
        const v = args.source;
        if (args.frameAt && v instanceof HTMLVideoElement && !v.paused) throw new StaleFrameError();
      }
    }
  }
  return inferWithoutTimestamp(args);
}

/** The main-thread path: draws the element as it is now, with no frame timestamp. */
async function inferWithoutTimestamp(args: FrameArgs): Promise<RawResult> {
  const as = args.frameAt && frameByPosition(args);
  if (as === null) throw new StaleFrameError();
  return inferOnMainThread(as ? { ...args, frameKey: as.key, frameIndex: as.index } : args);
}

/**
 * A video capture without a frame timestamp (the main-thread path; an ImageBitmap capture): a
 * paused element's position names its frame exactly, a playing one's does not (its time runs ahead
 * of the picture). So: paused, the frame at its position; playing, the frame the request was made
 * for (undefined), except for a late send, which does not go out (null).
 */
function frameByPosition(args: FrameArgs): { key: string; index: number } | null | undefined {
  const v = args.source;
  // Seeking: the position is the target's, the picture still the frame before (a step while the
  // request waited); the frame stepped to is inferred once its seek completes.
  if (args.late || (v instanceof HTMLVideoElement && v.seeking)) return null;
  return v instanceof HTMLVideoElement && v.paused ? args.frameAt!(v.currentTime * 1e6) : undefined;
}

async function inferInWorker(
  args: FrameArgs,
  worker: NonNullable<ReturnType<typeof frameWorker>>,
  frame: NonNullable<Awaited<ReturnType<typeof captureFrame>>>,
  t0: number,
): Promise<RawResult> {
  const spec = imageInputOf(args.meta);
  const outName = pickLaneOutput(args.meta);
  const sendFromWorker = getApiMode() === 'browser';
  const r = await worker.run({
    frame,
    frameW: args.frameW,
    frameH: args.frameH,
    spec,
    pre: args.pre,
    postedAt: wallNow(),
    ...(sendFromWorker
      ? { infer: { connectionId: args.connectionId, model: args.meta.name, requestId: args.frameKey, output: outName } }
      : {}),
  });
  const handoffMs = Math.max(0, r.timing.queuedMs + (wallNow() - r.timing.doneAt));
  const w = r.timing;
  if (r.kind === 'output') {
    return result(args, r.model, r.output, {
      preprocessMs: w.captureMs + w.tensorMs,
      captureMs: w.captureMs,
      tensorMs: w.tensorMs,
      requestMs: w.requestMs ?? 0,
      servicesMs: w.servicesMs,
      rpcMs: w.rpcMs,
      unpackMs: w.unpackMs,
      handoffMs,
      totalMs: performance.now() - t0,
    });
  }
  const t1 = performance.now();
  const res = await send(args, r.input, outName);
  const t2 = performance.now();
  const output = unpackOutput(res.outputs, outName, args.meta.name, true);
  return result(args, res.model, output, {
    preprocessMs: w.captureMs + w.tensorMs,
    captureMs: w.captureMs,
    tensorMs: w.tensorMs,
    requestMs: t2 - t1,
    servicesMs: res.timing.totalMs,
    rpcMs: res.timing.rpcMs,
    unpackMs: performance.now() - t2,
    handoffMs,
    totalMs: performance.now() - t0,
  });
}

async function inferOnMainThread(args: FrameArgs): Promise<RawResult> {
  const t0 = performance.now();
  const spec = imageInputOf(args.meta);
  const pixels = framePixels(args.source, args.frameW, args.frameH, spec.width, spec.height, args.pre.resize);
  const tPixels = performance.now();
  const input = frameInput(pixels, { spec, pre: args.pre });
  const outName = pickLaneOutput(args.meta);
  const t1 = performance.now();
  const res = await send(args, input, outName);
  const t2 = performance.now();
  const output = unpackOutput(res.outputs, outName, args.meta.name, true);
  return result(args, res.model, output, {
    preprocessMs: t1 - t0,
    captureMs: tPixels - t0,
    tensorMs: t1 - tPixels,
    requestMs: t2 - t1,
    rpcMs: res.timing.rpcMs,
    servicesMs: res.timing.totalMs,
    unpackMs: performance.now() - t2,
    totalMs: performance.now() - t0,
  });
}

function send(args: FrameArgs, input: FrameInput, outName: string | undefined) {
  return getApi().infer({
    connectionId: args.connectionId,
    model: args.meta.name,
    id: args.frameKey,
    ...input,
    ...(outName ? { outputs: [outName] } : {}),
  });
}

function result(args: FrameArgs, model: string, output: RawResult['output'], timing: Timing): RawResult {
  return {
    frameKey: args.frameKey,
    frameIndex: args.frameIndex,
    model,
    output,
    frameW: args.frameW,
    frameH: args.frameH,
    timing,
    at: performance.now(),
  };
}
