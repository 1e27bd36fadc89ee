/** Public types of the Triton client (field names follow the protocol where they are Triton's). */
import type { Tensor } from '../../shared/tensor/codec';

export type { Tensor };

/** A file path (string) or the PEM bytes themselves. */
export type PemSource = string | Buffer | Uint8Array;

export interface TlsOptions {
  /** CA certificate(s) to trust; default: Node's system roots. */
  ca?: PemSource;
  /** Client certificate chain and key for mutual TLS. */
  cert?: PemSource;
  key?: PemSource;
  /** Skip certificate verification (chain and host name). For self-signed test servers only. */
  insecure?: boolean;
  /** Expected server name (SNI + verification) when it differs from the host in the URL. */
  serverName?: string;
}

/** Triton's two protocols: gRPC (inference.GRPCInferenceService) and HTTP/REST (KServe v2 + extensions). */
export type TritonProtocol = 'grpc' | 'http';

/** tritonclient.http's compression algorithms (Content-Encoding / Accept-Encoding). */
export type HttpCompression = 'gzip' | 'deflate';

export interface TritonClientOptions {
  /**
   * gRPC: 'host:port' (default port 8001); 'grpcs://host:port' implies TLS.
   * HTTP: 'host:port[/base-path]' (default port 8000); 'https://…' implies TLS, 'http://…' none.
   */
  url: string;
  /** Default: from the URL's scheme (http:// or https:// = 'http'), else 'grpc'. */
  protocol?: TritonProtocol;
  /** Enable TLS; `true` = system CAs, or options. */
  tls?: TlsOptions | boolean;
  /** Default per-call deadline in ms (0 = none). Default 30000. */
  timeoutMs?: number;
  /** Max send/receive message size; default 2147483647 (INT32_MAX, like Triton). */
  maxMessageBytes?: number;
  /**
   * HTTP only: compress infer request bodies (Content-Encoding) and ask for compressed responses
   * (Accept-Encoding), as tritonclient.http's request/response_compression_algorithm do. Off by default:
   * on a LAN, compressing multi-MB float tensors costs more time than it saves.
   */
  compression?: { request?: HttpCompression; response?: HttpCompression };
}

export interface CallOptions {
  /** Deadline for this call in ms, overriding the client default (0 = none). */
  timeoutMs?: number;
  /** Abort the call (rejects with CANCELLED). */
  signal?: AbortSignal;
  /** Extra request headers (gRPC metadata, or HTTP headers). */
  headers?: Record<string, string>;
  /** HTTP only: this call's compression, overriding the client's (null = none). */
  compression?: { request?: HttpCompression | null; response?: HttpCompression | null };
  /**
   * HTTP only: how infer sends inputs and asks for outputs. 'binary' (default) uses Triton's binary
   * tensor extension; 'json' puts every element in the JSON body (for servers without the extension;
   * FP16/BF16 cannot travel as JSON).
   */
  tensorEncoding?: 'binary' | 'json';
}

export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface TensorMetadata {
  name: string;
  datatype: string;
  /** -1 = variable (including the batch dimension of batching models). */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/** uint64 counters are decimal strings: exact, and JSON-safe (cumulative ns overflow 2^53 in ~104 days). */
export interface StatisticDuration {
  count: string;
  ns: string;
}

export interface InferStatistics {
  success: StatisticDuration;
  fail: StatisticDuration;
  queue: StatisticDuration;
  compute_input: StatisticDuration;
  compute_infer: StatisticDuration;
  compute_output: StatisticDuration;
  cache_hit: StatisticDuration;
  cache_miss: StatisticDuration;
}

export interface InferBatchStatistics {
  batch_size: string;
  compute_input: StatisticDuration;
  compute_infer: StatisticDuration;
  compute_output: StatisticDuration;
}

export interface InferResponseStatistics {
  compute_infer: StatisticDuration;
  compute_output: StatisticDuration;
  success: StatisticDuration;
  fail: StatisticDuration;
  empty_response: StatisticDuration;
  cancel: StatisticDuration;
}

export interface ModelStatistics {
  name: string;
  version: string;
  /** ms since the Unix epoch ('0' = never). */
  last_inference: string;
  inference_count: string;
  execution_count: string;
  inference_stats: InferStatistics;
  batch_stats: InferBatchStatistics[];
  memory_usage: Array<{ type: string; id: string; byte_size: string }>;
  response_stats: Record<string, InferResponseStatistics>;
}

export interface ModelIndexEntry {
  name: string;
  /** '' when the model has no lifecycle record yet. */
  version: string;
  /** READY | UNAVAILABLE | LOADING | UNLOADING | UNKNOWN, or '' (never loaded). */
  state: string;
  reason: string;
}

/**
 * Value of an inference/load parameter. boolean -> bool_param, string -> string_param, integer
 * number or bigint -> int64_param, other number -> double_param; the object forms choose explicitly.
 */
export type ParameterValue =
  boolean | number | string | bigint | { double: number } | { uint64: bigint | number | string };

export type RequestedOutput = string | { name: string; parameters?: Record<string, ParameterValue> };

export interface InferInput extends Tensor {
  parameters?: Record<string, ParameterValue>;
}

export interface InferRequest {
  model: string;
  version?: string;
  /** Request id, echoed in the response (used to match streamed responses). */
  id?: string;
  inputs: InferInput[];
  /** Outputs to return; default all. */
  outputs?: RequestedOutput[];
  parameters?: Record<string, ParameterValue>;
  /** Check each input's byte size against its shape/datatype before sending (default true). */
  validate?: boolean;
}

export interface InferOutput extends Tensor {
  parameters: Record<string, ResponseParameterValue>;
}

/** int64/uint64 parameters become numbers when exact, else decimal strings. */
export type ResponseParameterValue = boolean | number | string;

export interface InferResponse {
  model: string;
  version: string;
  id: string;
  parameters: Record<string, ResponseParameterValue>;
  outputs: InferOutput[];
}

export interface SystemSharedMemoryRegion {
  name: string;
  key: string;
  offset: number;
  byteSize: number;
}

export interface CudaSharedMemoryRegion {
  name: string;
  deviceId: number;
  byteSize: number;
}

export type LogSettingValue = boolean | number | string;

export type HealthStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
