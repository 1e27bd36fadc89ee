/**
 * Frame jobs, as the frame worker runs them: the frame's pixels at the model's input size, the input
 * tensor (written into a buffer reused across frames when the worker sends it itself), the request,
 * and the lane output turned into Float32 values. The pixel reader and the API are passed in, so
 * the same code runs in the worker and in tests against the real bridge.
 */
import { ApiError, serializeError, type TritonscopeApi } from '../../../../shared/contract';
import { buildInputTensor, inputTensorByteSize, packImageInput } from '../../../../shared/inference';
import { decodeTensor } from '../../../../shared/tensor/codec';
import {
  wallNow,
  type FrameInput,
  type FrameJob,
  type FrameJobResult,
  type FrameOutput,
  type TransferableFrame,
} from './protocol';

/**
 * The frame's RGBA pixels at w x h. May return a buffer it reuses on its next call: the runner
 * never has two reads outstanding and is done with the pixels before it reads again.
 */
export type PixelReader = (
  frame: TransferableFrame,
  frameW: number,
  frameH: number,
  w: number,
  h: number,
  mode: 'opencv' | 'canvas',
) => Promise<Uint8Array | Uint8ClampedArray>;

/** The output named `name` (or the first), as Float32 values; a view into `data` where it can be. */
export function unpackOutput(
  outputs: readonly { name: string; datatype: string; shape: number[]; data: Uint8Array }[],
  name: string | undefined,
  model: string,
  copy: boolean,
): FrameOutput {
  const out = outputs.find((o) => o.name === name) ?? outputs[0];
  if (!out) throw new ApiError('INTERNAL', `${model} returned no outputs`);
  const values = decodeTensor(out.datatype, out.data, { shape: out.shape, copy, what: `output '${out.name}'` });
  if (!(values instanceof Float32Array))
    throw new ApiError(
      'INVALID_ARGUMENT',
      `output '${out.name}' is ${out.datatype}; lane decoders need floating-point output`,
    );
  return { name: out.name, datatype: out.datatype as FrameOutput['datatype'], shape: out.shape, values };
}

/**
 * A frame's input as the request carries it: FP32/FP16 planar images as their 8-bit planes for the
 * services to widen (contract ImageInput: a quarter of the FP32 bytes, half of FP16), anything
 * else as the tensor itself. `buffer(n)` gives the memory to build it in (default: a new one).
 */
export function frameInput(
  pixels: Uint8Array | Uint8ClampedArray,
  job: Pick<FrameJob, 'spec' | 'pre'>,
  buffer?: (byteLength: number) => Uint8Array,
): FrameInput {
  const planesSize = 3 * job.spec.width * job.spec.height;
  const image = packImageInput(pixels, job.spec, job.pre, 4, buffer?.(planesSize));
  if (image) return { inputs: [], image };
  const size = inputTensorByteSize(job.spec, job.pre);
  return { inputs: [buildInputTensor(pixels, job.spec, job.pre, 4, size ? buffer?.(size) : undefined)] };
}

export class FrameJobRunner {
  /** The buffer of the last size used (a video sends the same size frame after frame). */
  private reused: Uint8Array | null = null;

  private buffer(byteLength: number): Uint8Array {
    if (this.reused?.byteLength !== byteLength) this.reused = new Uint8Array(byteLength);
    return this.reused;
  }

  /** Capture + tensor of one job at a time (CPU work on one thread anyway): buffers are reused safely. */
  private preparing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly readPixels: PixelReader,
    private readonly api: () => Pick<TritonscopeApi, 'infer'> | null,
  ) {}

  run(job: FrameJob): Promise<FrameJobResult> {
    const started = wallNow();
    const prepared = this.preparing.then(() => this.prepare(job));
    this.preparing = prepared.catch(() => undefined);
    return prepared.then(
      (p) => this.send(job, started, p),
      (e: unknown) => ({ id: job.id, ok: false as const, error: serializeError(e) }),
    );
  }

  private async prepare(job: FrameJob): Promise<{ input: FrameInput; captureMs: number; tensorMs: number }> {
    const t0 = performance.now();
    let pixels: Uint8Array | Uint8ClampedArray;
    try {
      const { spec, pre } = job;
      pixels = await this.readPixels(
        job.frame,
        job.frameW,
        job.frameH,
        spec.width,
        spec.height,
        pre.resize ?? 'opencv',
      );
    } finally {
      job.frame.close(); // a VideoFrame holds one of the decoder's few buffers: give it back at once
    }
    const t1 = performance.now();
    // The buffer is reused only when this worker sends the request: the bridge transport copies it
    // into the outgoing message before infer() returns, so the next frame may overwrite it. What is
    // handed back to the main thread is transferred, so it gets a buffer of its own.
    const reuse = !!job.infer && this.api() !== null;
    const input = frameInput(pixels, job, reuse ? (n) => this.buffer(n) : undefined);
    return { input, captureMs: t1 - t0, tensorMs: performance.now() - t1 };
  }

  private async send(
    job: FrameJob,
    started: number,
    { input, captureMs, tensorMs }: { input: FrameInput; captureMs: number; tensorMs: number },
  ): Promise<FrameJobResult> {
    const base = { queuedMs: started - job.postedAt, captureMs, tensorMs };
    const api = this.api();
    if (!job.infer || !api)
      return { id: job.id, ok: true, kind: 'input', input, timing: { ...base, doneAt: wallNow() } };
    try {
      const { connectionId, model, requestId, output } = job.infer;
      const t2 = performance.now();
      const res = await api.infer({
        connectionId,
        model,
        id: requestId,
        ...input,
        ...(output ? { outputs: [output] } : {}),
      });
      const t3 = performance.now();
      // The answer's bytes are a view into the message just received and nothing else uses them:
      // no copy, the values are transferred to the main thread with their buffer.
      const unpacked = unpackOutput(res.outputs, output, model, false);
      return {
        id: job.id,
        ok: true,
        kind: 'output',
        model: res.model,
        output: unpacked,
        timing: {
          ...base,
          requestMs: t3 - t2,
          servicesMs: res.timing.totalMs,
          rpcMs: res.timing.rpcMs,
          unpackMs: performance.now() - t3,
          doneAt: wallNow(),
        },
      };
    } catch (e) {
      return { id: job.id, ok: false, error: serializeError(e) };
    }
  }
}
