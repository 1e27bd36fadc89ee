/**
 * The one client interface both of Triton's protocols implement: the gRPC client (./client.ts) and
 * the HTTP/REST client (./http/httpClient.ts). Services, the CLI and the benchmarks talk to this
 * interface and pick the protocol once, when the client is made (createTritonClient), so every view
 * works the same over either. What only one protocol has (gRPC streaming, the grpc.health service,
 * HTTP compression) stays on that class.
 */
import type { Tensor } from '../../shared/tensor/codec';
import { TritonClient, type ModelConfigObject } from './client';
import { HttpTritonClient } from './http/httpClient';
import type {
  CallOptions,
  CudaSharedMemoryRegion,
  InferRequest,
  InferResponse,
  LogSettingValue,
  ModelIndexEntry,
  ModelMetadata,
  ModelStatistics,
  ServerMetadata,
  SystemSharedMemoryRegion,
  TritonClientOptions,
  TritonProtocol,
} from './types';

export interface TritonClientApi {
  readonly protocol: TritonProtocol;
  /** The address as given (used in error messages). */
  readonly url: string;
  readonly timeoutMs: number;
  readonly tls: boolean;

  serverLive(opts?: CallOptions): Promise<boolean>;
  serverReady(opts?: CallOptions): Promise<boolean>;
  serverMetadata(opts?: CallOptions): Promise<ServerMetadata>;
  modelReady(name: string, version?: string, opts?: CallOptions): Promise<boolean>;
  modelMetadata(name: string, version?: string, opts?: CallOptions): Promise<ModelMetadata>;
  modelConfig(name: string, version?: string, opts?: CallOptions): Promise<ModelConfigObject>;
  modelStatistics(name?: string, version?: string, opts?: CallOptions): Promise<ModelStatistics[]>;
  repositoryIndex(options?: { ready?: boolean }, opts?: CallOptions): Promise<ModelIndexEntry[]>;
  loadModel(
    name: string,
    options?: {
      config?: object | string;
      files?: Record<string, Uint8Array>;
      parameters?: Record<string, boolean | number | string>;
    },
    opts?: CallOptions,
  ): Promise<void>;
  unloadModel(name: string, options?: { unloadDependents?: boolean }, opts?: CallOptions): Promise<void>;
  infer(request: InferRequest, opts?: CallOptions): Promise<InferResponse>;
  /** An input tensor the client can send without copying its bytes (see TritonClient.allocateInput). */
  allocateInput(name: string, datatype: string, shape: number[]): Tensor;
  systemSharedMemoryStatus(name?: string, opts?: CallOptions): Promise<SystemSharedMemoryRegion[]>;
  systemSharedMemoryRegister(
    region: { name: string; key: string; offset?: number; byteSize: number },
    opts?: CallOptions,
  ): Promise<void>;
  systemSharedMemoryUnregister(name?: string, opts?: CallOptions): Promise<void>;
  cudaSharedMemoryStatus(name?: string, opts?: CallOptions): Promise<CudaSharedMemoryRegion[]>;
  cudaSharedMemoryRegister(
    region: { name: string; rawHandle: Uint8Array; deviceId: number; byteSize: number },
    opts?: CallOptions,
  ): Promise<void>;
  cudaSharedMemoryUnregister(name?: string, opts?: CallOptions): Promise<void>;
  traceSetting(
    options?: { settings?: Record<string, string | string[] | null>; model?: string },
    opts?: CallOptions,
  ): Promise<Record<string, string[]>>;
  logSettings(settings?: Record<string, LogSettingValue>, opts?: CallOptions): Promise<Record<string, LogSettingValue>>;
  close(): void;
}

/**
 * The protocol a client options object asks for: `protocol` when given, else the URL's scheme
 * (http:// and https:// mean HTTP/REST; grpc://, grpcs:// or none mean gRPC).
 */
export function resolveProtocol(options: Pick<TritonClientOptions, 'url' | 'protocol'>): TritonProtocol {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(options.url.trim())?.[1]?.toLowerCase();
  const fromScheme = scheme === 'http' || scheme === 'https' ? 'http' : scheme ? 'grpc' : undefined;
  if (options.protocol && fromScheme && options.protocol !== fromScheme) {
    throw new TypeError(
      `protocol '${options.protocol}' contradicts the URL '${options.url}' (a ${scheme}:// URL is ${fromScheme === 'http' ? 'HTTP/REST' : 'gRPC'})`,
    );
  }
  return options.protocol ?? fromScheme ?? 'grpc';
}

/** A client for the protocol the options ask for (see resolveProtocol). */
export function createTritonClient(options: TritonClientOptions): TritonClientApi {
  return resolveProtocol(options) === 'http' ? new HttpTritonClient(options) : new TritonClient(options);
}
