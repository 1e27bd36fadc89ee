/**
 * The part of electron/triton's TritonClient the services use, written down so the services can
 * be constructed with a factory (the app passes the real client; nothing here is a fake).
 */
export interface TritonTlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure?: boolean;
}

export interface TritonClientOptions {
  url: string;
  tls?: TritonTlsOptions;
  timeoutMs?: number;
  maxMessageBytes?: number;
}

export interface TritonTensorLike {
  name: string;
  datatype: string;
  shape: Array<number | string | bigint>;
  data: Uint8Array;
}

export interface TritonClientLike {
  serverLive(): Promise<unknown>;
  serverReady(): Promise<unknown>;
  serverMetadata(): Promise<unknown>;
  modelMetadata(name: string, version?: string): Promise<unknown>;
  modelConfig(name: string, version?: string): Promise<unknown>;
  modelStatistics(name?: string, version?: string): Promise<unknown>;
  repositoryIndex(opts?: { ready?: boolean }): Promise<unknown>;
  loadModel(name: string, opts?: { config?: object | string }): Promise<unknown>;
  unloadModel(name: string, opts?: { unloadDependents?: boolean }): Promise<unknown>;
  infer(request: {
    model: string;
    version?: string;
    id?: string;
    inputs: TritonTensorLike[];
    outputs?: Array<string | { name: string }>;
  }): Promise<unknown>;
  close(): void | Promise<void>;
}

export type TritonClientFactory = (opts: TritonClientOptions) => TritonClientLike;
