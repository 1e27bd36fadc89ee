/**
 * THE contract between the renderer and the services: every method with its request and response
 * schema, every event with its payload schema, and the `TritonscopeApi` interface the renderer
 * programs against. Transports (Electron IPC in electron/ipc, the WebSocket bridge in
 * electron/bridge) derive their allowlists from `apiMethods`/`apiEvents` and validate every payload
 * with these schemas; nothing else may cross.
 */
import type { z } from 'zod';
import * as s from './schemas';
import type { SerializedError } from './errors';

/** name -> { request, response } schemas. Adding a method here adds it to every transport. */
export const apiMethods = {
  // app
  appInfo: { request: s.EmptyRequestSchema, response: s.AppInfoSchema },

  // connections
  listConnections: { request: s.EmptyRequestSchema, response: s.ConnectionsChangedEventSchema.shape.profiles },
  saveConnection: { request: s.ConnectionProfileInputSchema, response: s.ConnectionProfileSchema },
  deleteConnection: { request: s.ConnectionIdRequestSchema, response: s.OkSchema },
  connect: { request: s.ConnectionIdRequestSchema, response: s.ConnectionStatusSchema },
  disconnect: { request: s.ConnectionIdRequestSchema, response: s.ConnectionStatusSchema },
  connectionStatus: { request: s.ConnectionIdRequestSchema, response: s.ConnectionStatusSchema },
  /** Check now (resets the backoff) instead of waiting for the next poll. */
  refreshStatus: { request: s.ConnectionIdRequestSchema, response: s.ConnectionStatusSchema },

  // choosing certificate files
  pickFile: { request: s.PickFileRequestSchema, response: s.PickFileResponseSchema },
  browseFiles: { request: s.BrowseFilesRequestSchema, response: s.BrowseFilesResponseSchema },

  // server operations
  repositoryIndex: { request: s.RepositoryIndexRequestSchema, response: s.RepositoryIndexResponseSchema },
  modelMetadata: { request: s.ModelRequestSchema, response: s.ModelMetadataSchema },
  modelConfig: { request: s.ModelRequestSchema, response: s.ModelConfigResponseSchema },
  modelStatistics: { request: s.ModelStatisticsRequestSchema, response: s.ModelStatisticsResponseSchema },
  loadModel: { request: s.LoadModelRequestSchema, response: s.OkSchema },
  unloadModel: { request: s.UnloadModelRequestSchema, response: s.OkSchema },
  /** The profile's Prometheus endpoint, fetched and parsed by the services. */
  serverMetrics: { request: s.MetricsRequestSchema, response: s.MetricsSnapshotSchema },

  // repository folders
  openRepository: { request: s.OpenRepositoryRequestSchema, response: s.OpenRepositoryResponseSchema },
  listRepositories: { request: s.EmptyRequestSchema, response: s.RepositoriesChangedEventSchema.shape.roots },
  closeRepository: { request: s.RootRequestSchema, response: s.OkSchema },
  listRepositoryModels: { request: s.RootRequestSchema, response: s.RepositoryListingSchema },
  readFile: { request: s.FileRequestSchema, response: s.FileForEditSchema },
  validateConfig: { request: s.ValidateConfigRequestSchema, response: s.ValidateConfigResponseSchema },
  saveFile: { request: s.SaveFileRequestSchema, response: s.SaveFileResponseSchema },
  configDiff: { request: s.ConfigDiffRequestSchema, response: s.ConfigDiffResponseSchema },

  // inference
  infer: { request: s.InferRequestSchema, response: s.InferResponseSchema },

  // demo
  demoStatus: { request: s.EmptyRequestSchema, response: s.DemoStatusSchema },
  startDemo: { request: s.EmptyRequestSchema, response: s.DemoStatusSchema },
  stopDemo: { request: s.EmptyRequestSchema, response: s.DemoStatusSchema },
  readDemoMedia: { request: s.DemoMediaRequestSchema, response: s.MediaFileSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type ApiMethodName = keyof typeof apiMethods;
export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiMethodName[];

/** name -> payload schema of events pushed from the services to the renderer. */
export const apiEvents = {
  /** A connection's status changed (poll result, connect/disconnect). */
  connectionStatus: s.ConnectionStatusSchema,
  /** Profiles were added/edited/removed. */
  connectionsChanged: s.ConnectionsChangedEventSchema,
  /** Repository folders were opened/closed. */
  repositoriesChanged: s.RepositoriesChangedEventSchema,
  /** The embedded demo server started/stopped/failed. */
  demoStatus: s.DemoStatusSchema,
  /** An app-menu item the renderer should act on (Electron only). */
  menuCommand: s.MenuCommandEventSchema,
} as const satisfies Record<string, z.ZodType>;

export type ApiEventName = keyof typeof apiEvents;
export const API_EVENT_NAMES = Object.keys(apiEvents) as ApiEventName[];
export type ApiEventPayload<E extends ApiEventName> = z.output<(typeof apiEvents)[E]>;

/** What a caller passes (schema input) and gets back (schema output) for method M. */
export type ApiRequest<M extends ApiMethodName> = z.input<(typeof apiMethods)[M]['request']>;
export type ApiResponse<M extends ApiMethodName> = z.output<(typeof apiMethods)[M]['response']>;
/** A request after validation (defaults applied), as the services receive it. */
export type ParsedRequest<M extends ApiMethodName> = z.output<(typeof apiMethods)[M]['request']>;

type Res<M extends ApiMethodName> = Promise<ApiResponse<M>>;

/**
 * The API as the renderer sees it (`window.tritonscope` in Electron, the WebSocket client in
 * browser mode; get it from renderer/api `getApi()`). Every method rejects with an `ApiError`
 * ({ code, message, details? }) on failure.
 */
export interface TritonscopeApi {
  appInfo(): Res<'appInfo'>;

  listConnections(): Res<'listConnections'>;
  /** Create (no id) or update a profile. TLS files are referenced by path and read at connect time. */
  saveConnection(profile: ApiRequest<'saveConnection'>): Res<'saveConnection'>;
  deleteConnection(req: ApiRequest<'deleteConnection'>): Res<'deleteConnection'>;
  /** Connects and starts status polling (events: 'connectionStatus'). Resolves after the first check. */
  connect(req: ApiRequest<'connect'>): Res<'connect'>;
  disconnect(req: ApiRequest<'disconnect'>): Res<'disconnect'>;
  connectionStatus(req: ApiRequest<'connectionStatus'>): Res<'connectionStatus'>;
  refreshStatus(req: ApiRequest<'refreshStatus'>): Res<'refreshStatus'>;

  /** Electron: native open-file dialog for a certificate or key (null if cancelled). */
  pickFile(req: ApiRequest<'pickFile'>): Res<'pickFile'>;
  /** Browser mode: list a folder (confined to the allowed folders) to choose a certificate or key. */
  browseFiles(req: ApiRequest<'browseFiles'>): Res<'browseFiles'>;

  repositoryIndex(req: ApiRequest<'repositoryIndex'>): Res<'repositoryIndex'>;
  modelMetadata(req: ApiRequest<'modelMetadata'>): Res<'modelMetadata'>;
  modelConfig(req: ApiRequest<'modelConfig'>): Res<'modelConfig'>;
  modelStatistics(req: ApiRequest<'modelStatistics'>): Res<'modelStatistics'>;
  loadModel(req: ApiRequest<'loadModel'>): Res<'loadModel'>;
  unloadModel(req: ApiRequest<'unloadModel'>): Res<'unloadModel'>;
  /** Reads the server's metrics URL (the profile's, or its host on port 8002) once. */
  serverMetrics(req: ApiRequest<'serverMetrics'>): Res<'serverMetrics'>;

  /** Open a model repository folder; `{}` shows a native picker in Electron (null if cancelled). */
  openRepository(req?: ApiRequest<'openRepository'>): Res<'openRepository'>;
  listRepositories(): Res<'listRepositories'>;
  closeRepository(req: ApiRequest<'closeRepository'>): Res<'closeRepository'>;
  listRepositoryModels(req: ApiRequest<'listRepositoryModels'>): Res<'listRepositoryModels'>;
  readFile(req: ApiRequest<'readFile'>): Res<'readFile'>;
  /** Parse + semantic validation of config.pbtxt text (pure: can also run in the renderer via shared/pbtxt). */
  validateConfig(req: ApiRequest<'validateConfig'>): Res<'validateConfig'>;
  saveFile(req: ApiRequest<'saveFile'>): Res<'saveFile'>;
  configDiff(req: ApiRequest<'configDiff'>): Res<'configDiff'>;

  infer(req: ApiRequest<'infer'>): Res<'infer'>;

  demoStatus(): Res<'demoStatus'>;
  startDemo(): Res<'startDemo'>;
  stopDemo(): Res<'stopDemo'>;
  readDemoMedia(req: ApiRequest<'readDemoMedia'>): Res<'readDemoMedia'>;

  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

/**
 * The services implement the same methods but receive the already-validated (schema OUTPUT) request.
 * Events are emitted through the `emit` function a transport gives them.
 */
export type ApiHandlers = { [M in ApiMethodName]: (req: ParsedRequest<M>) => Promise<ApiResponse<M>> };
export type ApiEmit = <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => void;

// Compile-time check: the hand-written interface covers exactly the methods of the map.
type _MethodsOfInterface = Exclude<keyof TritonscopeApi, 'on'>;
type _Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _interfaceMatchesMap: _Exact<_MethodsOfInterface, ApiMethodName> = true;
void _interfaceMatchesMap;

// ---------------------------------------------------------------------------------------------
// What the Electron preload exposes as `window.tritonscope`. Errors thrown across contextBridge lose
// everything but their message, so each method resolves to an envelope and renderer/api turns
// `{ ok: false, error }` back into an ApiError with its code.

export type Envelope<T> = { ok: true; payload: T } | { ok: false; error: SerializedError };

export type ExposedApi = {
  readonly [M in ApiMethodName]: (req?: unknown) => Promise<Envelope<ApiResponse<M>>>;
} & {
  readonly on: (event: ApiEventName, listener: (payload: unknown) => void) => () => void;
};
