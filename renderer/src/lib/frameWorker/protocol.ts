/**
 * Messages between the main thread and the frame worker (structured clone within one page; the
 * worker's requests to the services go through the contract like any other). A job carries the
 * frame itself, transferred (a VideoFrame or an ImageBitmap: no pixel copy on the main thread);
 * the answer carries the decoded output values, transferred back.
 */
import type { Datatype, ImageInput, SerializedError } from '../../../../shared/contract';
import type { InputSpec, InputTensor, PreprocessSettings } from '../../../../shared/inference';

/** What the worker can draw a frame from and must release when done. */
export type TransferableFrame = (VideoFrame | ImageBitmap) & { close(): void };

export interface FrameJob {
  id: number;
  frame: TransferableFrame;
  /** The frame's size (the decoder scales lanes to it). */
  frameW: number;
  frameH: number;
  spec: InputSpec;
  pre: PreprocessSettings;
  /**
   * Browser mode: the worker sends the request over its own bridge connection and answers with
   * the output. Absent (Electron, where only the main thread reaches the preload): it answers
   * with the request's input.
   */
  infer?: { connectionId: string; model: string; requestId: string; output?: string };
  /** `performance.timeOrigin + performance.now()` when posted (clocks differ per thread). */
  postedAt: number;
}

export interface FrameOutput {
  name: string;
  datatype: Datatype;
  shape: number[];
  values: Float32Array;
}

export interface WorkerTiming {
  /** Posted -> the worker started the job (the worker was busy, or the message queued). */
  queuedMs: number;
  /** Drawing the frame and reading (and resizing) its pixels. */
  captureMs: number;
  tensorMs: number;
  /** Send -> answer, as the worker saw it; of which the services' own part and the gRPC call. */
  requestMs?: number;
  servicesMs?: number;
  rpcMs?: number;
  /** Output bytes -> Float32 values. */
  unpackMs?: number;
  /** `performance.timeOrigin + performance.now()` when the answer was posted. */
  doneAt: number;
}

/** The input part of an infer request: an image as 8-bit planes, or the tensor itself. */
export interface FrameInput {
  inputs: InputTensor[];
  image?: ImageInput;
}

export type FrameJobResult =
  | { id: number; ok: true; kind: 'output'; model: string; output: FrameOutput; timing: WorkerTiming }
  | { id: number; ok: true; kind: 'input'; input: FrameInput; timing: WorkerTiming }
  | { id: number; ok: false; error: SerializedError };

export type ToWorker = { t: 'init'; bridgeUrl: string | null } | { t: 'job'; job: FrameJob };
export type FromWorker = { t: 'ready' } | { t: 'done'; result: FrameJobResult };

/** A clock all threads of the page share. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
