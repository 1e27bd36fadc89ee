/**
 * Typed client for Triton's HTTP/REST protocol (KServe v2 + Triton's extensions: model
 * repository, configuration, statistics, trace, logging, shared memory, binary tensor data),
 * behind the same TritonClientApi as the gRPC client: the same results (counters as exact decimal
 * strings, ModelConfig in the canonical shape) and the same TritonError on failure. Routes and
 * JSON shapes are those of Triton's http_server.cc; see ./transport for the connection and
 * ./inferCodec for the binary tensor framing.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { parse as parseLossless } from 'lossless-json';
import { datatypeInfo, elementCount } from '../../../shared/tensor/datatypes';
import type { Tensor } from '../../../shared/tensor/codec';
import type { TritonClientApi } from '../api';
import { DEFAULT_TIMEOUT_MS, type ModelConfigObject } from '../client';
import { toModelStatistics } from '../convert';
import { TritonError } from '../errors';
import type {
  CallOptions,
  CudaSharedMemoryRegion,
  HttpCompression,
  InferRequest,
  InferResponse,
  LogSettingValue,
  ModelIndexEntry,
  ModelMetadata,
  ModelStatistics,
  ServerMetadata,
  SystemSharedMemoryRegion,
  TritonClientOptions,
} from '../types';
import { canonicalModelConfig } from './modelConfigJson';
import { decodeHttpInferResponse, encodeHttpInferRequest, HEADER_LENGTH } from './inferCodec';
import { compress, decodeBody, httpError, HttpTransport, type HttpResponse } from './transport';

const seg = (s: string) => encodeURIComponent(s);

/** '/v2/models/NAME[/versions/V]' */
function modelPath(name: string, version: string): string {
  if (!name) throw new TritonError(GrpcStatus.INVALID_ARGUMENT, 'a model name is required');
  return `/v2/models/${seg(name)}${version ? `/versions/${seg(version)}` : ''}`;
}

export class HttpTritonClient implements TritonClientApi {
  readonly protocol = 'http' as const;
  readonly url: string;
  readonly timeoutMs: number;
  readonly tls: boolean;
  private readonly transport: HttpTransport;
  private readonly compression: { request?: HttpCompression; response?: HttpCompression };

  constructor(options: TritonClientOptions) {
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs < 0)
      throw new RangeError(`timeoutMs must be >= 0, got ${this.timeoutMs}`);
    this.transport = new HttpTransport({ url: options.url, tls: options.tls });
    this.tls = this.transport.tls;
    this.compression = options.compression ?? {};
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private send(
    method: 'GET' | 'POST',
    path: string,
    opts: CallOptions | undefined,
    body?: readonly Uint8Array[],
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    return this.transport.request(`${method} ${path}`, {
      method,
      path,
      body,
      headers: { ...opts?.headers, ...headers },
      timeoutMs: opts?.timeoutMs ?? this.timeoutMs,
      signal: opts?.signal,
    });
  }

  /** A JSON call: the body text of a 200 response, else Triton's error as a TritonError. */
  private async call(method: 'GET' | 'POST', path: string, opts?: CallOptions, body?: unknown): Promise<string> {
    const payload = body === undefined ? undefined : [Buffer.from(JSON.stringify(body))];
    const res = await this.send(method, path, opts, payload, payload ? { 'content-type': 'application/json' } : {});
    if (res.status !== 200) throw await httpError(`${method} ${path}`, res);
    return (await decodeBody(res)).toString('utf8');
  }

  private async json<T>(method: 'GET' | 'POST', path: string, opts?: CallOptions, body?: unknown): Promise<T> {
    const text = await this.call(method, path, opts, body);
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch (err) {
      throw new TritonError(GrpcStatus.INTERNAL, `${method} ${path}: the response is not JSON`, { cause: err });
    }
  }

  /** Health-style endpoints answer 200 for true and 400 for false, with no body on success. */
  private async flag(path: string, opts?: CallOptions): Promise<boolean> {
    const res = await this.send('GET', path, opts);
    if (res.status === 200) return true;
    if (res.status === 400) return false;
    throw await httpError(`GET ${path}`, res);
  }

  // ---- health & metadata -----------------------------------------------------------------------

  serverLive(opts?: CallOptions): Promise<boolean> {
    return this.flag('/v2/health/live', opts);
  }

  serverReady(opts?: CallOptions): Promise<boolean> {
    return this.flag('/v2/health/ready', opts);
  }

  async serverMetadata(opts?: CallOptions): Promise<ServerMetadata> {
    const r = await this.json<Partial<ServerMetadata>>('GET', '/v2', opts);
    return { name: r.name ?? '', version: r.version ?? '', extensions: r.extensions ?? [] };
  }

  modelReady(name: string, version = '', opts?: CallOptions): Promise<boolean> {
    return this.flag(`${modelPath(name, version)}/ready`, opts);
  }

  async modelMetadata(name: string, version = '', opts?: CallOptions): Promise<ModelMetadata> {
    type T = { name?: string; datatype?: string; shape?: number[] };
    const r = await this.json<{ name?: string; versions?: string[]; platform?: string; inputs?: T[]; outputs?: T[] }>(
      'GET',
      modelPath(name, version),
      opts,
    );
    const tensor = (t: T) => ({ name: t.name ?? '', datatype: t.datatype ?? '', shape: (t.shape ?? []).map(Number) });
    return {
      name: r.name ?? '',
      versions: r.versions ?? [],
      platform: r.platform ?? '',
      inputs: (r.inputs ?? []).map(tensor),
      outputs: (r.outputs ?? []).map(tensor),
    };
  }

  // ---- configuration & statistics --------------------------------------------------------------

  /**
   * The configuration as the server runs it. Triton prints every field (defaults included); it is
   * brought to the gRPC client's canonical shape (defaults omitted, int64 as numbers, enum names)
   * through the ModelConfig proto, so both protocols give the same object.
   */
  async modelConfig(name: string, version = '', opts?: CallOptions): Promise<ModelConfigObject> {
    const json = await this.json<Record<string, unknown>>('GET', `${modelPath(name, version)}/config`, opts);
    try {
      return canonicalModelConfig(json);
    } catch (err) {
      throw new TritonError(
        GrpcStatus.INTERNAL,
        `model config of '${name}' is not a ModelConfig: ${(err as Error).message}`,
      );
    }
  }

  /** Counters as exact decimal strings, as the gRPC client gives them (JSON numbers past 2^53 included). */
  async modelStatistics(name = '', version = '', opts?: CallOptions): Promise<ModelStatistics[]> {
    const path = name ? `${modelPath(name, version)}/stats` : '/v2/models/stats';
    const text = await this.call('GET', path, opts);
    const r = parseLossless(text, undefined, (digits) => digits) as { model_stats?: Record<string, unknown>[] };
    return (r.model_stats ?? []).map((m) =>
      toModelStatistics({ batch_stats: [], memory_usage: [], response_stats: {}, ...m }),
    );
  }

  // ---- repository ------------------------------------------------------------------------------

  async repositoryIndex(options: { ready?: boolean } = {}, opts?: CallOptions): Promise<ModelIndexEntry[]> {
    const r = await this.json<Array<Partial<ModelIndexEntry>>>(
      'POST',
      '/v2/repository/index',
      opts,
      options.ready ? { ready: true } : {},
    );
    return (Array.isArray(r) ? r : []).map((m) => ({
      name: m.name ?? '',
      version: m.version ?? '',
      state: m.state ?? '',
      reason: m.reason ?? '',
    }));
  }

  /**
   * Loads (or reloads) a model: `config` (object or JSON text) as the 'config' parameter, `files`
   * base64-encoded as 'file:<path>' parameters, as Triton's HTTP API expects them.
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
    const parameters: Record<string, unknown> = { ...options.parameters };
    if (options.config !== undefined)
      parameters['config'] = typeof options.config === 'string' ? options.config : JSON.stringify(options.config);
    for (const [file, bytes] of Object.entries(options.files ?? {}))
      parameters[`file:${file}`] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    const body = Object.keys(parameters).length ? { parameters } : {};
    await this.call('POST', `/v2/repository/models/${seg(name)}/load`, opts, body);
  }

  async unloadModel(name: string, options: { unloadDependents?: boolean } = {}, opts?: CallOptions): Promise<void> {
    const body =
      options.unloadDependents !== undefined ? { parameters: { unload_dependents: options.unloadDependents } } : {};
    await this.call('POST', `/v2/repository/models/${seg(name)}/unload`, opts, body);
  }

  // ---- inference -------------------------------------------------------------------------------

  async infer(request: InferRequest, opts?: CallOptions): Promise<InferResponse> {
    const encoded = encodeHttpInferRequest(request, opts?.tensorEncoding ?? 'binary');
    const path = `${modelPath(request.model, request.version ?? '')}/infer`;
    const requestCompression =
      opts?.compression?.request === undefined ? this.compression.request : opts.compression.request;
    const responseCompression =
      opts?.compression?.response === undefined ? this.compression.response : opts.compression.response;
    const headers: Record<string, string> = {
      'content-type': encoded.headerLength === null ? 'application/json' : 'application/octet-stream',
    };
    if (encoded.headerLength !== null) headers[HEADER_LENGTH] = String(encoded.headerLength);
    let parts = encoded.parts;
    if (requestCompression) {
      parts = [await compress(parts, requestCompression)];
      headers['content-encoding'] = requestCompression;
    }
    if (responseCompression) headers['accept-encoding'] = responseCompression;
    const res = await this.send('POST', path, opts, parts, headers);
    if (res.status !== 200) throw await httpError(`POST ${path}`, res);
    const body = await decodeBody(res);
    const headerLength = res.headers[HEADER_LENGTH];
    try {
      return decodeHttpInferResponse(body, headerLength === undefined ? undefined : Number(headerLength));
    } catch (err) {
      throw new TritonError(GrpcStatus.INTERNAL, `malformed inference response: ${(err as Error).message}`, {
        rpc: `POST ${path}`,
        cause: err,
      });
    }
  }

  /**
   * An input tensor for infer(): its bytes are sent as they are, after the JSON header, without a
   * copy (over HTTP every binary input is sent that way; this exists so callers need not know the
   * protocol).
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
      data: new Uint8Array(elementCount(shape, `allocateInput '${name}'`) * size),
    };
  }

  // ---- shared memory ---------------------------------------------------------------------------

  async systemSharedMemoryStatus(name = '', opts?: CallOptions): Promise<SystemSharedMemoryRegion[]> {
    const path = name ? `/v2/systemsharedmemory/region/${seg(name)}/status` : '/v2/systemsharedmemory/status';
    const r = await this.json<Array<{ name?: string; key?: string; offset?: number; byte_size?: number }>>(
      'GET',
      path,
      opts,
    );
    return (Array.isArray(r) ? r : []).map((v) => ({
      name: v.name ?? '',
      key: v.key ?? '',
      offset: Number(v.offset ?? 0),
      byteSize: Number(v.byte_size ?? 0),
    }));
  }

  async systemSharedMemoryRegister(
    region: { name: string; key: string; offset?: number; byteSize: number },
    opts?: CallOptions,
  ): Promise<void> {
    await this.call('POST', `/v2/systemsharedmemory/region/${seg(region.name)}/register`, opts, {
      key: region.key,
      offset: region.offset ?? 0,
      byte_size: region.byteSize,
    });
  }

  /** '' unregisters every system shared-memory region. */
  async systemSharedMemoryUnregister(name = '', opts?: CallOptions): Promise<void> {
    const path = name ? `/v2/systemsharedmemory/region/${seg(name)}/unregister` : '/v2/systemsharedmemory/unregister';
    await this.call('POST', path, opts, {});
  }

  async cudaSharedMemoryStatus(name = '', opts?: CallOptions): Promise<CudaSharedMemoryRegion[]> {
    const path = name ? `/v2/cudasharedmemory/region/${seg(name)}/status` : '/v2/cudasharedmemory/status';
    const r = await this.json<Array<{ name?: string; device_id?: number; byte_size?: number }>>('GET', path, opts);
    return (Array.isArray(r) ? r : []).map((v) => ({
      name: v.name ?? '',
      deviceId: Number(v.device_id ?? 0),
      byteSize: Number(v.byte_size ?? 0),
    }));
  }

  async cudaSharedMemoryRegister(
    region: { name: string; rawHandle: Uint8Array; deviceId: number; byteSize: number },
    opts?: CallOptions,
  ): Promise<void> {
    await this.call('POST', `/v2/cudasharedmemory/region/${seg(region.name)}/register`, opts, {
      raw_handle: { b64: Buffer.from(region.rawHandle).toString('base64') },
      device_id: region.deviceId,
      byte_size: region.byteSize,
    });
  }

  async cudaSharedMemoryUnregister(name = '', opts?: CallOptions): Promise<void> {
    const path = name ? `/v2/cudasharedmemory/region/${seg(name)}/unregister` : '/v2/cudasharedmemory/unregister';
    await this.call('POST', path, opts, {});
  }

  // ---- trace & log settings --------------------------------------------------------------------

  /**
   * Reads (no settings) or updates trace settings, globally or for one model; null or [] clears a
   * setting. Over HTTP, trace_level is a list and the others single strings; results come back as
   * lists, as over gRPC.
   */
  async traceSetting(
    options: { settings?: Record<string, string | string[] | null>; model?: string } = {},
    opts?: CallOptions,
  ): Promise<Record<string, string[]>> {
    const path = options.model ? `/v2/models/${seg(options.model)}/trace/setting` : '/v2/trace/setting';
    const updates = Object.entries(options.settings ?? {});
    const body: Record<string, unknown> = {};
    for (const [k, v] of updates) {
      const list = v === null ? [] : Array.isArray(v) ? v : [v];
      body[k] = list.length === 0 ? null : k === 'trace_level' ? list : list.length === 1 ? list[0] : list;
    }
    const r = updates.length
      ? await this.json<Record<string, unknown>>('POST', path, opts, body)
      : await this.json<Record<string, unknown>>('GET', path, opts);
    return Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.map((x) => `${x as string}`) : v === null ? [] : [`${v as string}`],
      ]),
    );
  }

  /** Reads (no settings) or updates log settings. */
  async logSettings(
    settings: Record<string, LogSettingValue> = {},
    opts?: CallOptions,
  ): Promise<Record<string, LogSettingValue>> {
    for (const [k, v] of Object.entries(settings))
      if (typeof v === 'number' && (!Number.isInteger(v) || v < 0 || v > 0xffffffff))
        throw new RangeError(`log setting '${k}': ${v} is not a uint32`);
    const r = Object.keys(settings).length
      ? await this.json<Record<string, LogSettingValue>>('POST', '/v2/logging', opts, settings)
      : await this.json<Record<string, LogSettingValue>>('GET', '/v2/logging', opts);
    return r;
  }

  close(): void {
    this.transport.close();
  }
}
