/**
 * The shapes the UI works with. They mirror the app contract (shared/contract) but are kept here so
 * the panels do not depend on transport details; renderer/src/lib/backend.ts maps between the two.
 */

export interface Profile {
  id: string;
  name: string;
  /** host:port of the Triton gRPC endpoint. */
  url: string;
  tls?: { enabled?: boolean; ca?: string; cert?: string; key?: string; insecure?: boolean };
  /** The embedded demo server: started on demand by the backend. */
  demo?: boolean;
  /** Model repository folder on disk, when known (embedded server, or a mounted repository). */
  repository?: string;
}

export interface ServerStatus {
  live: boolean;
  ready: boolean;
}

export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface RepoModel {
  name: string;
  version: string;
  state: string;
  reason: string;
}

export interface TensorMeta {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMeta[];
  outputs: TensorMeta[];
}

export interface InferStat {
  count: number;
  ns: number;
}

export interface ModelStats {
  name: string;
  version: string;
  lastInference: number;
  inferenceCount: number;
  executionCount: number;
  success: InferStat;
  fail: InferStat;
  queue: InferStat;
  computeInput: InferStat;
  computeInfer: InferStat;
  computeOutput: InferStat;
}

export interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: Uint8Array;
}

export interface InferRequest {
  model: string;
  version?: string;
  inputs: Tensor[];
  outputs?: string[];
}

export interface InferResponse {
  model: string;
  version: string;
  outputs: Tensor[];
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file';
  size?: number;
}

export interface EditableFile {
  path: string;
  text: string;
  hash: string;
  mtimeMs: number;
}

export interface SaveResult {
  hash: string;
  mtimeMs?: number;
  backupPath?: string;
}

export interface DemoMedia {
  name: string;
  kind: 'image' | 'video' | 'labels';
  url: string;
}
