/**
 * The one place the UI touches the app API (renderer/api -> Electron IPC or the WebSocket bridge).
 * Panels and slices call these functions, so a change in the contract is absorbed here.
 */
import type * as C from '../../../shared/contract/schemas';
import type { TritonscopeApi, ApiEventName, ApiEventPayload } from '../../../shared/contract/api';

// The contract's own types are the UI's types too.
export type * from '../../../shared/contract/schemas';

export interface ConfigResponse {
  config: Record<string, unknown>;
  pbtxt?: string;
}
export interface StatisticsResponse {
  takenAt: number;
  models: C.ModelStatisticsEntry[];
}
export interface SaveResponse {
  path: string;
  hash: string;
  mtimeMs: number;
  backupPath: string | null;
}
export interface ConfigDiff {
  disk: { text: string; hash: string };
  server: {
    json: Record<string, unknown> | null;
    pbtxt: string | null;
    error: { code: string; message: string } | null;
  } | null;
}
export interface MediaFile {
  name: string;
  mime: string;
  data: Uint8Array;
}

export interface Backend {
  appInfo(): Promise<C.AppInfo>;
  listProfiles(): Promise<C.ConnectionProfile[]>;
  saveProfile(p: C.ConnectionProfileInput): Promise<C.ConnectionProfile>;
  deleteProfile(id: string): Promise<void>;
  connect(id: string): Promise<C.ConnectionStatus>;
  disconnect(id: string): Promise<void>;
  status(id: string): Promise<C.ConnectionStatus>;
  repositoryIndex(connectionId: string): Promise<C.ModelIndexEntry[]>;
  modelMetadata(connectionId: string, model: string, version?: string): Promise<C.ModelMetadata>;
  modelConfig(connectionId: string, model: string, version?: string): Promise<ConfigResponse>;
  modelStatistics(connectionId: string, model?: string): Promise<StatisticsResponse>;
  loadModel(connectionId: string, model: string, override?: { pbtxt: string }): Promise<void>;
  unloadModel(connectionId: string, model: string): Promise<void>;
  listRoots(): Promise<C.RepositoryRoot[]>;
  openRepository(path?: string): Promise<C.RepositoryRoot | null>;
  listRepository(rootId: string): Promise<C.RepositoryListing>;
  readFile(rootId: string, path: string): Promise<C.FileForEdit>;
  saveFile(rootId: string, path: string, text: string, expectedHash: string, force?: boolean): Promise<SaveResponse>;
  configDiff(rootId: string, path: string, connectionId?: string, model?: string): Promise<ConfigDiff>;
  infer(req: C.InferRequest): Promise<C.InferResponse>;
  demoStatus(): Promise<C.DemoStatus>;
  startDemo(): Promise<C.DemoStatus>;
  readDemoMedia(name: string): Promise<MediaFile>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

let impl: Backend | null = null;

/** Installed once at start-up by main.tsx (or by a test harness). */
export function setBackend(b: Backend): void {
  impl = b;
}

export function backend(): Backend {
  if (!impl) throw new Error('The app API is not available (no Electron preload and no bridge token in the URL).');
  return impl;
}

/** The Backend over the contract's TritonscopeApi (Electron preload or the WebSocket bridge). */
export function backendFromApi(api: TritonscopeApi): Backend {
  return {
    appInfo: () => api.appInfo(),
    listProfiles: () => api.listConnections(),
    saveProfile: (p) => api.saveConnection(p),
    deleteProfile: async (id) => {
      await api.deleteConnection({ id });
    },
    connect: (id) => api.connect({ id }),
    disconnect: async (id) => {
      await api.disconnect({ id });
    },
    status: (id) => api.connectionStatus({ id }),
    repositoryIndex: async (connectionId) => (await api.repositoryIndex({ connectionId })).models,
    modelMetadata: (connectionId, model, version) =>
      api.modelMetadata({ connectionId, model, ...(version ? { version } : {}) }),
    modelConfig: (connectionId, model, version) =>
      api.modelConfig({ connectionId, model, ...(version ? { version } : {}) }),
    modelStatistics: (connectionId, model) => api.modelStatistics({ connectionId, ...(model ? { model } : {}) }),
    loadModel: async (connectionId, model, override) => {
      await api.loadModel({ connectionId, model, ...(override ? { configOverride: override } : {}) });
    },
    unloadModel: async (connectionId, model) => {
      await api.unloadModel({ connectionId, model });
    },
    listRoots: () => api.listRepositories(),
    openRepository: (path) => api.openRepository(path ? { path } : {}),
    listRepository: (rootId) => api.listRepositoryModels({ rootId }),
    readFile: (rootId, path) => api.readFile({ rootId, path }),
    saveFile: (rootId, path, text, expectedHash, force) =>
      api.saveFile({ rootId, path, text, expectedHash, ...(force ? { force } : {}) }),
    configDiff: (rootId, path, connectionId, model) =>
      api.configDiff({ rootId, path, ...(connectionId ? { connectionId } : {}), ...(model ? { model } : {}) }),
    infer: (req) => api.infer(req),
    demoStatus: () => api.demoStatus(),
    startDemo: () => api.startDemo(),
    readDemoMedia: (name) => api.readDemoMedia({ name }),
    on: (event, listener) => api.on(event, listener),
  };
}
