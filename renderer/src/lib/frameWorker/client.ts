/**
 * The main thread's side of the frame worker: captures a frame without copying its pixels (a
 * VideoFrame of the playing video, an ImageBitmap otherwise), hands it to the worker, and resolves
 * with the worker's answer. Where no worker can run (no Worker or OffscreenCanvas, or the worker
 * script fails to load, e.g. under an unusual CSP) `frameWorker()` returns null and the caller
 * does the work on the main thread, as before the worker existed.
 */
import { deserializeError } from '../../../../shared/contract';
import type { FrameJob, FrameJobResult, FromWorker, ToWorker, TransferableFrame } from './protocol';

type Ok = Extract<FrameJobResult, { ok: true }>;

/** The worker could not take the job (its script failed to load or it died): do it elsewhere. */
export class FrameWorkerUnavailable extends Error {
  constructor(why: string) {
    super(`frame worker unavailable: ${why}`);
    this.name = 'FrameWorkerUnavailable';
  }
}

export class FrameWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(r: Ok): void; reject(e: unknown): void }>();
  private nextId = 1;
  /** Resolves true once the worker's script runs, false when it failed to load. */
  readonly ready: Promise<boolean>;
  private failed = false;

  constructor(bridgeUrl: string | null) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'frame-worker' });
    this.ready = new Promise((resolve) => {
      this.worker.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
        const msg = ev.data;
        if (msg.t === 'ready') return resolve(true);
        const p = this.pending.get(msg.result.id);
        if (!p) return;
        this.pending.delete(msg.result.id);
        if (msg.result.ok) p.resolve(msg.result);
        else p.reject(deserializeError(msg.result.error));
      });
      this.worker.addEventListener('error', (ev) => {
        // A script that never ran (load error) or an uncaught error: either way the worker is
        // unusable from now on; its open jobs fail and callers fall back to the main thread.
        ev.preventDefault();
        this.failed = true;
        resolve(false);
        for (const p of this.pending.values()) p.reject(new FrameWorkerUnavailable(ev.message || 'load error'));
        this.pending.clear();
        this.worker.terminate();
      });
    });
    this.post({ t: 'init', bridgeUrl });
  }

  get usable(): boolean {
    return !this.failed;
  }

  /** Runs a job; the frame is transferred (closed here if the job cannot be posted). */
  async run(job: Omit<FrameJob, 'id'>): Promise<Ok> {
    if (!(await this.ready)) {
      job.frame.close();
      throw new FrameWorkerUnavailable('its script did not load');
    }
    // It failed after it started (while `ready` was awaited): a job posted to a terminated worker
    // would never be answered, and its request would hold a place under the in-flight limit for good.
    if (this.failed) {
      job.frame.close();
      throw new FrameWorkerUnavailable('it stopped');
    }
    const id = this.nextId++;
    return new Promise<Ok>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ t: 'job', job: { ...job, id } }, [job.frame as Transferable]);
    });
  }

  private post(msg: ToWorker, transfer: Transferable[] = []) {
    this.worker.postMessage(msg, transfer);
  }
}

let instance: FrameWorkerClient | null | undefined;

/** The page's frame worker, started on first use; null where workers cannot do the job. */
export function frameWorker(bridgeUrl: () => string | null): FrameWorkerClient | null {
  if (instance === undefined) {
    try {
      instance =
        typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined'
          ? new FrameWorkerClient(bridgeUrl())
          : null;
    } catch {
      instance = null;
    }
  }
  return instance?.usable ? instance : null;
}

/**
 * The frame `source` shows now, as something a worker can take without a pixel copy: a VideoFrame of
 * the video element, or of the still image (it shares the image's pixels, which the stage keeps
 * drawing; the worker reads them with VideoFrame.copyTo). Where VideoFrame is missing, an ImageBitmap
 * copy. Null when the source has no frame to give.
 *
 * A still used to go as an ImageBitmap copy: on the demo scenes (1280x720) that copy and its
 * transfer cost the main thread about 20 ms a frame, and the worker's canvas read-back another ~20 ms.
 * The pixels the worker gets are the same bytes (checked on the demo scenes and the real TuSimple
 * frames: 0 of 3.7 M bytes differ).
 */
export async function captureFrame(source: CanvasImageSource): Promise<TransferableFrame | null> {
  try {
    if (typeof VideoFrame !== 'undefined') {
      if (source instanceof HTMLVideoElement) return new VideoFrame(source);
      if (source instanceof ImageBitmap || source instanceof HTMLImageElement)
        return new VideoFrame(source, { timestamp: 0 });
    }
    return await createImageBitmap(source);
  } catch {
    return null;
  }
}
