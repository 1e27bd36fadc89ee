export { createTritonClient, resolveProtocol, type TritonClientApi } from './api';
export { HttpTritonClient } from './http/httpClient';
export { TritonClient, DEFAULT_TIMEOUT_MS, buildInferRequest, type ModelConfigObject } from './client';
export { InferStream, type InferStreamOptions, type StreamEvent } from './stream';
export { TritonError, grpcCodeName, toTritonError } from './errors';
export { parseTritonUrl, MAX_MESSAGE_BYTES, DEFAULT_GRPC_PORT, ConnectionConfigError } from './connection';
export { loadTritonPackageDefinition, loadTritonRoot, protoDir, LOADER_OPTIONS } from './protos';
export type * from './types';
