/**
 * The part of electron/triton's TritonClient the services use, as the client's own types: the
 * services are constructed with a factory (the app passes the real client), and what they receive
 * is typed, so the mappers in ./mappers.ts convert known fields instead of guessing.
 */
import type { TritonClient } from '../triton/client';
import type { TlsOptions, TritonClientOptions } from '../triton/types';

export type TritonTlsOptions = TlsOptions;

export type TritonClientLike = Pick<
  TritonClient,
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
  | 'close'
>;

export type TritonClientFactory = (opts: TritonClientOptions) => TritonClientLike;
