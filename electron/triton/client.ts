/**
 * Typed client for Triton's gRPC protocol (inference.GRPCInferenceService + grpc.health.v1.Health)
 * over @grpc/grpc-js, covering every RPC. See ./types for the API shapes and ./protos for why the
 * loader options are what they are.
 */
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { checkTensorData, type Tensor } from '../../shared/tensor/codec';
import { datatypeInfo, elementCount } from '../../shared/tensor/datatypes';
import { channelSetup, parseTritonUrl, type ParsedUrl } from './connection';
import { fromParameters, toModelStatistics, toParameters, toRequestedOutputs } from './convert';
import { toTritonError, TritonError } from './errors';
import { loadTritonPackageDefinition, loadTritonRoot, MODEL_CONFIG_CONVERSION } from './protos';
import { InferStream, type InferStreamOptions } from './stream';
import {
  allocateInputArena,
  BufferPool,
  encodeInferRequest,
  encodeInferRequestInPlace,
  releaseRequestBytes,
} from './inferCodec';
import { decodeInferResponse } from './inferResponseCodec';
import type { TritonClientApi } from './api';
import type {
  CallOptions,
  CudaSharedMemoryRegion,
  HealthStatus,
  InferRequest,
  InferResponse,
  LogSettingValue,
  ModelIndexEntry,
  ModelMetadata,
  ModelStatistics,
  ServerMetadata,
  SystemSharedMemoryRegion,
  TritonClientOptions,
} from './types';

export const DEFAULT_TIMEOUT_MS = 30_000;

const identity = (b: object | Buffer) => b as Buffer;

type Methods = Record<string, MethodDefinition<object, object>>;

/** A ModelConfig as returned by modelConfig(): proto field names, enum names, int64 as numbers, defaults omitted. */
export interface ModelConfigObject {
  name?: string;
  platform?: string;
  backend?: string;
  max_batch_size?: number;
  input?: Array<{ name: string; data_type?: string; format?: string; dims?: number[]; [k: string]: unknown }>;
  output?: Array<{ name: string; data_type?: string; dims?: number[]; [k: string]: unknown }>;
  [field: string]: unknown;
}

let serviceCache: { inference: Methods; health: Methods } | undefined;

function services(): { inference: Methods; health: Methods } {
  if (!serviceCache) {
    const pkg = loadTritonPackageDefinition();
    const inference = { ...(pkg['inference.GRPCInferenceService'] as unknown as Methods) };
    // ModelConfig gets the canonical conversion (int64 as numbers, no empty fields) instead of the
    // generic one, so the result is the same ModelConfig object shape shared/pbtxt works with.
    const responseType = loadTritonRoot().lookupType('inference.ModelConfigResponse');
    inference['ModelConfig'] = {
      ...inference['ModelConfig'],
      responseDeserialize: (buf: Buffer) => responseType.toObject(responseType.decode(buf), MODEL_CONFIG_CONVERSION),
    };
    // ModelInfer runs per video frame: one pass from the wire to the InferResponse (inferResponseCodec.ts).
    inference['ModelInfer'] = { ...inference['ModelInfer'], responseDeserialize: decodeInferResponse };
    serviceCache = { inference, health: pkg['grpc.health.v1.Health'] as unknown as Methods };
  }
  return serviceCache;
}

export class TritonClient implements TritonClientApi {
  readonly protocol = 'grpc' as const;
  /** The address as given (used in error messages). */
  readonly url: string;
  readonly timeoutMs: number;
  readonly tls: boolean;
  private readonly parsed: ParsedUrl;
  private readonly client: grpc.Client;
  private readonly requestBuffers = new BufferPool();
  private closed = false;

  constructor(options: TritonClientOptions) {
    this.url = options.url;
    this.parsed = parseTritonUrl(options.url);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs < 0)
      throw new RangeError(`timeoutMs must be >= 0, got ${this.timeoutMs}`);
    const setup = channelSetup(this.parsed, options.tls, options.maxMessageBytes);
    this.tls = setup.tls;
    this.client = new grpc.Client(this.parsed.target, setup.credentials, setup.options);
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private callOptions(opts: CallOptions | undefined): {
    metadata: grpc.Metadata;
    options: grpc.CallOptions;
    timeoutMs: number;
  } {
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    const metadata = new grpc.Metadata();
    if (opts?.headers) for (const [k, v] of Object.entries(opts.headers)) metadata.set(k, v);
    const options: grpc.CallOptions = timeoutMs > 0 ? { deadline: Date.now() + timeoutMs } : {};
    return { metadata, options, timeoutMs };
  }

  private errorContext(rpc: string, timeoutMs?: number) {
    return { rpc, url: this.url, timeoutMs, tls: this.tls };
  }

  private unary<Res>(
    service: 'inference' | 'health',
    rpc: string,
    request: object,
    opts?: CallOptions,
    /** The request already serialized (ModelInfer): sent as is, its memory released when the call ends. */
    serialized?: Buffer,
  ): Promise<Res> {
    if (this.closed || opts?.signal?.aborted) {
      if (serialized) releaseRequestBytes(serialized, this.requestBuffers);
      return Promise.reject(
        this.closed
          ? new TritonError(grpc.status.CANCELLED, 'client is closed', {
              rpc,
              message: `CANCELLED: ${rpc}: the client was closed`,
            })
          : new TritonError(grpc.status.CANCELLED, 'Cancelled on client', {
              rpc,
              message: `CANCELLED: ${rpc} was cancelled`,
            }),
      );
    }
    const method = services()[service][rpc];
    const { metadata, options, timeoutMs } = this.callOptions(opts);
    const signal = opts?.signal;
    return new Promise<Res>((resolve, reject) => {
      const call = this.client.makeUnaryRequest<object | Buffer, unknown>(
        method.path,
        serialized ? identity : method.requestSerialize,
        method.responseDeserialize,
        serialized ?? request,
        metadata,
        options,
        (err, res) => {
          if (serialized) releaseRequestBytes(serialized, this.requestBuffers);
          if (onAbort) signal!.removeEventListener('abort', onAbort);
          if (err) reject(toTritonError(err, this.errorContext(rpc, timeoutMs > 0 ? timeoutMs : undefined)));
          else resolve(res as Res);
        },
      );
      const onAbort = signal ? () => call.cancel() : undefined;
      if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
    });
  }

  private rpc<Res>(rpc: string, request: object, opts?: CallOptions): Promise<Res> {
    return this.unary<Res>('inference', rpc, request, opts);
  }

  // ---- health & metadata -----------------------------------------------------------------------

  async serverLive(opts?: CallOptions): Promise<boolean> {
    return Boolean((await this.rpc<{ live?: boolean }>('ServerLive', {}, opts)).live);
  }

  async serverReady(opts?: CallOptions): Promise<boolean> {
    return Boolean((await this.rpc<{ ready?: boolean }>('ServerReady', {}, opts)).ready);
  }

  async serverMetadata(opts?: CallOptions): Promise<ServerMetadata> {
    const r = await this.rpc<{ name?: string; version?: string; extensions: string[] }>('ServerMetadata', {}, opts);
    return { name: r.name ?? '', version: r.version ?? '', extensions: r.extensions };
  }

  async modelReady(name: string, version = '', opts?: CallOptions): Promise<boolean> {
    return Boolean((await this.rpc<{ ready?: boolean }>('ModelReady', { name, version }, opts)).ready);
  }

  async modelMetadata(name: string, version = '', opts?: CallOptions): Promise<ModelMetadata> {
    type T = { name?: string; datatype?: string; shape: string[] };
    const r = await this.rpc<{ name?: string; versions: string[]; platform?: string; inputs: T[]; outputs: T[] }>(
      'ModelMetadata',
      { name, version },
      opts,
    );
    const tensor = (t: T) => ({ name: t.name ?? '', datatype: t.datatype ?? '', shape: t.shape.map(Number) });
    return {
      name: r.name ?? '',
      versions: r.versions,
      platform: r.platform ?? '',
      inputs: r.inputs.map(tensor),
      outputs: r.outputs.map(tensor),
    };
  }

  /** grpc.health.v1.Health/Check ('' = the whole server). */
  async healthCheck(service = '', opts?: CallOptions): Promise<HealthStatus> {
    const r = await this.unary<{ status?: HealthStatus }>('health', 'Check', { service }, opts);
    return r.status ?? 'UNKNOWN';
  }

  // ---- configuration & statistics --------------------------------------------------------------

  /** The configuration as the server runs it (after auto-completion), not the raw config.pbtxt. */
  async modelConfig(name: string, version = '', opts?: CallOptions): Promise<ModelConfigObject> {
    const r = await this.rpc<{ config?: ModelConfigObject }>('ModelConfig', { name, version }, opts);
    return r.config ?? {};
  }

  /** Statistics of every READY model/version ('' name) or one model. Counters are exact decimal strings. */
  async modelStatistics(name = '', version = '', opts?: CallOptions): Promise<ModelStatistics[]> {
    const r = await this.rpc<{ model_stats: Record<string, unknown>[] }>('ModelStatistics', { name, version }, opts);
    return r.model_stats.map(toModelStatistics);
  }

  // ---- repository ------------------------------------------------------------------------------

  async repositoryIndex(options: { ready?: boolean } = {}, opts?: CallOptions): Promise<ModelIndexEntry[]> {
    const r = await this.rpc<{ models: Array<Partial<ModelIndexEntry>> }>(
      'RepositoryIndex',
      { repository_name: '', ready: Boolean(options.ready) },
      opts,
    );
    return r.models.map((m) => ({
      name: m.name ?? '',
      version: m.version ?? '',
      state: m.state ?? '',
      reason: m.reason ?? '',
    }));
  }

  /**
   * Loads (or reloads) a model. `config` (object or JSON text) replaces config.pbtxt for this load
   * and is sent, like tritonclient does, as string_param 'config'; `files` (e.g. {'1/model.onnx': bytes})
   * become bytes_param 'file:<path>' (Triton then requires `config`).
   */
  async loadModel(
    name: string,
    options: {
      config?: object | string;
      files?: Record<string, Uint8Array>;
      parameters?: Record<string, boolean | number | string>;
    } = {},
    opts?: CallOptions,
  ): Promise<void> {
    const parameters: Record<string, object> = toParameters(options.parameters);
    if (options.config !== undefined) {
      const json = typeof options.config === 'string' ? options.config : JSON.stringify(options.config);
      parameters['config'] = { string_param: json };
    }
    for (const [file, bytes] of Object.entries(options.files ?? {})) {
      parameters[`file:${file}`] = { bytes_param: bytes };
    }
    await this.rpc('RepositoryModelLoad', { repository_name: '', model_name: name, parameters }, opts);
  }

  async unloadModel(name: string, options: { unloadDependents?: boolean } = {}, opts?: CallOptions): Promise<void> {
    const parameters =
      options.unloadDependents !== undefined ? { unload_dependents: { bool_param: options.unloadDependents } } : {};
    await this.rpc('RepositoryModelUnload', { repository_name: '', model_name: name, parameters }, opts);
  }

  // ---- inference -------------------------------------------------------------------------------

  infer(request: InferRequest, opts?: CallOptions): Promise<InferResponse> {
    let bytes: Buffer;
    try {
      const msg = buildInferRequest(request);
      // Serialized here (not by grpc-js): in place around an input allocated by allocateInput (no
      // copy), else into a reused buffer; either is released when the call ends (unary).
      bytes = encodeInferRequestInPlace(msg) ?? encodeInferRequest(msg, this.requestBuffers);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // The response deserializer gives the InferResponse itself (inferResponseCodec.ts).
    return this.unary<InferResponse>('inference', 'ModelInfer', {}, opts, bytes);
  }

  /**
   * An input tensor whose bytes infer() sends without copying them (when it is the request's only
   * input): fill `data` (e.g. with shared/preprocess writing a video frame straight into it) and
   * pass the tensor to infer(). Reusable across calls; don't write into it while a call using it is
   * in flight.
   */
  allocateInput(name: string, datatype: string, shape: number[]): Tensor {
    const size = datatypeInfo(datatype).byteSize;
    if (size === null)
      throw new TypeError(
        `allocateInput '${name}': ${datatype} has no fixed element size; build BYTES tensors with makeTensor`,
      );
    return {
      name,
      datatype,
      shape: [...shape],
      data: allocateInputArena(elementCount(shape, `allocateInput '${name}'`) * size),
    };
  }

  /**
   * Opens a ModelStreamInfer stream. Requests are matched to responses by id; errors reported in
   * the stream (Triton's default) reject only the request they belong to. `grpcErrors: true` sends
   * the `triton_grpc_error` header so that the first error ends the stream with a gRPC status.
   * The stream's deadline is opts.timeoutMs only if given (a stream is long-lived).
   */
  streamInfer(options: InferStreamOptions = {}, opts?: CallOptions): InferStream {
    if (this.closed)
      throw new TritonError(grpc.status.CANCELLED, 'client is closed', {
        rpc: 'ModelStreamInfer',
        message: 'CANCELLED: ModelStreamInfer: the client was closed',
      });
    const method = services().inference['ModelStreamInfer'];
    const metadata = new grpc.Metadata();
    if (opts?.headers) for (const [k, v] of Object.entries(opts.headers)) metadata.set(k, v);
    if (options.grpcErrors) metadata.set('triton_grpc_error', 'true');
    const timeoutMs = opts?.timeoutMs ?? 0;
    const call = this.client.makeBidiStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      metadata,
      timeoutMs > 0 ? { deadline: Date.now() + timeoutMs } : {},
    );
    const signal = opts?.signal;
    if (signal) {
      // Removed when the stream ends: one long-lived signal over many streams gathered a listener each.
      const onAbort = () => call.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      call.once('status', () => signal.removeEventListener('abort', onAbort));
    }
    return new InferStream(call, buildInferRequest, (err) =>
      toTritonError(err, this.errorContext('ModelStreamInfer', timeoutMs > 0 ? timeoutMs : undefined)),
    );
  }

  // ---- shared memory ---------------------------------------------------------------------------

  async systemSharedMemoryStatus(name = '', opts?: CallOptions): Promise<SystemSharedMemoryRegion[]> {
    type R = { name?: string; key?: string; offset?: string; byte_size?: string };
    const r = await this.rpc<{ regions: Record<string, R> }>('SystemSharedMemoryStatus', { name }, opts);
    return Object.entries(r.regions).map(([k, v]) => ({
      name: v.name ?? k,
      key: v.key ?? '',
      offset: Number(v.offset ?? 0),
      byteSize: Number(v.byte_size ?? 0),
    }));
  }

  async systemSharedMemoryRegister(
    region: { name: string; key: string; offset?: number; byteSize: number },
    opts?: CallOptions,
  ): Promise<void> {
    await this.rpc(
      'SystemSharedMemoryRegister',
      { name: region.name, key: region.key, offset: region.offset ?? 0, byte_size: region.byteSize },
      opts,
    );
  }

  /** '' unregisters every system shared-memory region. */
  async systemSharedMemoryUnregister(name = '', opts?: CallOptions): Promise<void> {
    await this.rpc('SystemSharedMemoryUnregister', { name }, opts);
  }

  async cudaSharedMemoryStatus(name = '', opts?: CallOptions): Promise<CudaSharedMemoryRegion[]> {
    type R = { name?: string; device_id?: string; byte_size?: string };
    const r = await this.rpc<{ regions: Record<string, R> }>('CudaSharedMemoryStatus', { name }, opts);
    return Object.entries(r.regions).map(([k, v]) => ({
      name: v.name ?? k,
      deviceId: Number(v.device_id ?? 0),
      byteSize: Number(v.byte_size ?? 0),
    }));
  }

  async cudaSharedMemoryRegister(
    region: { name: string; rawHandle: Uint8Array; deviceId: number; byteSize: number },
    opts?: CallOptions,
  ): Promise<void> {
    await this.rpc(
      'CudaSharedMemoryRegister',
      { name: region.name, raw_handle: region.rawHandle, device_id: region.deviceId, byte_size: region.byteSize },
      opts,
    );
  }

  async cudaSharedMemoryUnregister(name = '', opts?: CallOptions): Promise<void> {
    await this.rpc('CudaSharedMemoryUnregister', { name }, opts);
  }

  // ---- trace & log settings --------------------------------------------------------------------

  /**
   * Reads (no settings) or updates trace settings, globally or for one model. A value of null or []
   * clears a model-level override. Returns the full current settings.
   */
  async traceSetting(
    options: { settings?: Record<string, string | string[] | null>; model?: string } = {},
    opts?: CallOptions,
  ): Promise<Record<string, string[]>> {
    const settings: Record<string, { value: string[] }> = {};
    for (const [k, v] of Object.entries(options.settings ?? {}))
      settings[k] = { value: v === null ? [] : Array.isArray(v) ? v : [v] };
    const r = await this.rpc<{ settings: Record<string, { value: string[] }> }>(
      'TraceSetting',
      { settings, model_name: options.model ?? '' },
      opts,
    );
    return Object.fromEntries(Object.entries(r.settings).map(([k, v]) => [k, v.value]));
  }

  /** Reads (no settings) or updates log settings; numbers are sent as uint32_param. */
  async logSettings(
    settings: Record<string, LogSettingValue> = {},
    opts?: CallOptions,
  ): Promise<Record<string, LogSettingValue>> {
    const req: Record<string, object> = {};
    for (const [k, v] of Object.entries(settings)) {
      if (typeof v === 'boolean') req[k] = { bool_param: v };
      else if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
          throw new RangeError(`log setting '${k}': ${v} is not a uint32`);
        req[k] = { uint32_param: v };
      } else req[k] = { string_param: v };
    }
    const r = await this.rpc<{
      settings: Record<
        string,
        { bool_param?: boolean; uint32_param?: number; string_param?: string; parameter_choice?: string }
      >;
    }>('LogSettings', { settings: req }, opts);
    const out: Record<string, LogSettingValue> = {};
    for (const [k, v] of Object.entries(r.settings)) {
      if (v.parameter_choice === 'bool_param') out[k] = Boolean(v.bool_param);
      else if (v.parameter_choice === 'uint32_param') out[k] = v.uint32_param ?? 0;
      else out[k] = v.string_param ?? '';
    }
    return out;
  }

  /**
   * The underlying gRPC channel, for tools that make raw calls over the same connection (the infer
   * benchmark's floor does, so that connection-level effects don't count as client overhead).
   */
  get channel(): grpc.Channel {
    return this.client.getChannel() as grpc.Channel;
  }

  /** Closes the channel; pending calls fail with CANCELLED/UNAVAILABLE. */
  close(): void {
    this.closed = true;
    this.client.close();
  }
}

/** ModelInferRequest message from our request: inputs' bytes go to raw_input_contents, uncopied. */
export function buildInferRequest(
  request: InferRequest,
): { raw_input_contents: Uint8Array[] } & Record<string, unknown> {
  if (!request || typeof request.model !== 'string' || !request.model)
    throw new TypeError('infer: request.model (model name) is required');
  if (!Array.isArray(request.inputs)) throw new TypeError(`infer '${request.model}': request.inputs must be an array`);
  const validate = request.validate !== false;
  const raw: Uint8Array[] = [];
  const inputs = request.inputs.map((t) => {
    const params = t.parameters;
    if (validate) {
      if (!(t.data instanceof Uint8Array))
        throw new TypeError(
          `infer '${request.model}': input '${t.name}' data must be a Uint8Array of raw tensor bytes`,
        );
      if (!params || !('shared_memory_region' in params))
        checkTensorData(t.datatype, t.shape, t.data, `input '${t.name}'`);
    }
    // Inputs in shared memory carry no bytes; raw entries belong to the other inputs in order.
    if (!params || !('shared_memory_region' in params)) raw.push(t.data);
    return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: toParameters(params) };
  });
  return {
    model_name: request.model,
    model_version: request.version ?? '',
    id: request.id ?? '',
    parameters: toParameters(request.parameters),
    inputs,
    outputs: toRequestedOutputs(request.outputs),
    raw_input_contents: raw,
  };
}

export { fromParameters };
