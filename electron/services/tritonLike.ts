/**
 * The part of electron/triton's client interface the services use (either protocol), as the
 * client's own types: the services are constructed with a factory (the app passes
 * createTritonClient), and what they receive is typed, so the mappers in ./mappers.ts convert
 * known fields instead of guessing.
 */
import type { TritonClientApi } from '../triton/api';
import type { TlsOptions, TritonClientOptions } from '../triton/types';

export type TritonTlsOptions = TlsOptions;

export type TritonClientLike = Pick<
  TritonClientApi,
  | 'serverLive'
  | 'serverReady'
  | 'serverMetadata'
  | 'modelMetadata'
  | 'modelConfig'
  | 'modelStatistics'
  | 'repositoryIndex'
  | 'loadModel'
  | 'unloadModel'
  | 'infer'
  | 'allocateInput'
  | 'close'
>;

export type TritonClientFactory = (opts: TritonClientOptions) => TritonClientLike;
