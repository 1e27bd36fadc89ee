/**
 * ModelStreamInfer as a promise/async-iterable API. One bidirectional stream carries many
 * requests; Triton answers them possibly out of order, so responses are matched by request id (we
 * generate ids for requests without one). A decoupled model may answer a request 0..n times; the
 * last answer carries the parameter `triton_final_response: true`.
 */
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { toInferResponse, type InferResponseMessage } from './convert';
import { TritonError } from './errors';
import type { InferRequest, InferResponse } from './types';

export interface InferStreamOptions {
  /** Send `triton_grpc_error: true`: the first error then ends the stream with a gRPC status. */
  grpcErrors?: boolean;
}

export interface StreamEvent {
  id: string;
  /** Present for a response. */
  response?: InferResponse;
  /** Present for an error reported in the stream for this request. */
  error?: TritonError;
  /** True when no further responses will come for this id. */
  final: boolean;
}

interface StreamMessage {
  error_message?: string;
  infer_response?: InferResponseMessage;
}

interface Pending {
  responses: InferResponse[];
  resolve: (r: InferResponse[]) => void;
  reject: (e: TritonError) => void;
}

type Call = ClientDuplexStream<object, StreamMessage>;

let streamIds = 0;

export class InferStream implements AsyncIterable<StreamEvent> {
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<(e: StreamEvent) => void>();
  private ended = false;
  private failure: TritonError | undefined;
  private readonly endPromise: Promise<void>;
  private readonly prefix = `tsi${++streamIds}-`;
  private counter = 0;

  constructor(
    private readonly call: Call,
    private readonly build: (r: InferRequest) => object,
    mapError: (err: unknown) => TritonError,
  ) {
    this.endPromise = new Promise<void>((resolve) => {
      call.on('data', (msg: StreamMessage) => this.onMessage(msg));
      call.on('error', (err) => {
        this.finish(mapError(err));
        resolve();
      });
      call.on('end', () => {
        this.finish(undefined);
        resolve();
      });
    });
    this.endPromise.catch(() => undefined);
  }

  /** Sends a request without waiting; returns its id. Responses arrive as events (see `on`). */
  send(request: InferRequest): string {
    this.assertOpen();
    const id = request.id || `${this.prefix}${++this.counter}`;
    this.call.write(this.build({ ...request, id }));
    return id;
  }

  /** Sends a request and resolves with its (final) response. */
  async infer(request: InferRequest): Promise<InferResponse> {
    const all = await this.inferAll(request);
    const last = all[all.length - 1];
    if (!last)
      throw new TritonError(GrpcStatus.INTERNAL, 'stream completed the request without a response', {
        rpc: 'ModelStreamInfer',
      });
    return last;
  }

  /** Sends a request and resolves with every response to it (decoupled models may send several). */
  inferAll(request: InferRequest): Promise<InferResponse[]> {
    this.assertOpen();
    const id = request.id || `${this.prefix}${++this.counter}`;
    if (this.pending.has(id)) throw new Error(`ModelStreamInfer: a request with id '${id}' is already in flight`);
    const promise = new Promise<InferResponse[]>((resolve, reject) => {
      this.pending.set(id, { responses: [], resolve, reject });
    });
    this.call.write(this.build({ ...request, id }));
    return promise;
  }

  /** Subscribes to every response/error event; returns an unsubscribe function. */
  on(listener: (e: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Iterates events from now until the stream ends (throws if it ends with an error). */
  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    const queue: StreamEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.on((e) => {
      queue.push(e);
      wake?.();
    });
    const onEnd = this.endPromise.then(() => wake?.());
    try {
      for (;;) {
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        if (this.ended) break;
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
      if (this.failure) throw this.failure;
    } finally {
      off();
      void onEnd;
    }
  }

  /** Half-closes the stream (no more requests) and waits until the server has finished. */
  async end(): Promise<void> {
    if (!this.ended) this.call.end();
    await this.endPromise;
    if (this.failure && this.failure.code !== 'CANCELLED') throw this.failure;
  }

  /** Aborts the stream; pending requests reject with CANCELLED. */
  cancel(): void {
    this.call.cancel();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private assertOpen(): void {
    if (this.ended)
      throw (
        this.failure ??
        new TritonError(GrpcStatus.CANCELLED, 'stream has ended', {
          rpc: 'ModelStreamInfer',
          message: 'CANCELLED: ModelStreamInfer stream has ended',
        })
      );
  }

  private emit(e: StreamEvent): void {
    for (const l of this.listeners) l(e);
  }

  private onMessage(msg: StreamMessage): void {
    const id = msg.infer_response?.id ?? '';
    if (msg.error_message) {
      // Triton reports per-request errors in-band without a status code.
      const error = new TritonError(GrpcStatus.UNKNOWN, msg.error_message, {
        rpc: 'ModelStreamInfer',
        message: `ModelStreamInfer: ${msg.error_message.trim().split('\n')[0]}`,
      });
      const key = this.pending.has(id)
        ? id
        : id === '' && this.pending.size === 1
          ? [...this.pending.keys()][0]
          : undefined;
      if (key !== undefined) {
        this.pending.get(key)!.reject(error);
        this.pending.delete(key);
      }
      this.emit({ id: key ?? id, error, final: true });
      return;
    }
    if (!msg.infer_response) return;
    const response = toInferResponse(msg.infer_response);
    const flag = response.parameters['triton_final_response'];
    const final = flag === undefined ? true : flag === true;
    // An empty final response (decoupled completion) is not a result of its own.
    const empty = final && flag !== undefined && response.outputs.length === 0;
    const p = this.pending.get(id);
    if (p && !empty) p.responses.push(response);
    if (p && final) {
      p.resolve(p.responses);
      this.pending.delete(id);
    }
    this.emit({ id, response: empty ? undefined : response, final });
  }

  private finish(error: TritonError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    const reason =
      error ??
      new TritonError(GrpcStatus.UNAVAILABLE, 'stream ended before the response', {
        rpc: 'ModelStreamInfer',
        message: 'UNAVAILABLE: ModelStreamInfer stream ended before all responses arrived',
      });
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }
}
