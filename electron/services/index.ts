/**
 * All services behind the contract, as plain Node modules: `createServices()` returns one handler
 * per contract method (receiving already-validated requests) plus the event hub. Electron IPC
 * (electron/ipc) and the browser-mode bridge (electron/bridge) are thin transports over this.
 */
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { ApiError, serializeError, type ApiHandlers } from '../../shared/contract';
import { FileBrowser } from './fileBrowser';
import { ConnectionManager } from './connections';
import { DemoService, type StartEmbeddedServer } from './demo';
import { ServiceEvents } from './events';
import { InferenceRelay } from './inference';
import { MetricsService } from './metrics';
import { RepositoryBrowser } from './repository';
import { ServerOps } from './serverOps';
import type { TritonClientFactory } from './tritonLike';

export { ServiceEvents } from './events';
export { DEMO_CONNECTION_ID, DEMO_HTTP_CONNECTION_ID } from './demo';
export type { TritonClientFactory } from './tritonLike';

export interface ServicesOptions {
  mode: 'electron' | 'browser';
  /** Where connections.json lives (Electron: app.getPath('userData'); CLI: ~/.config/tritonscope). */
  configDir: string;
  /** Repository root of the app (for assets/); defaults to the source checkout. */
  appRoot?: string;
  demoRepoDir?: string;
  demoMediaDir?: string;
  /** Defaults to electron/triton's createTritonClient (gRPC or HTTP/REST per profile). */
  createClient?: TritonClientFactory;
  /** Defaults to electron/server's startEmbeddedServer. */
  startServer?: StartEmbeddedServer;
  /** Electron: native folder picker. */
  pickFolder?: () => Promise<string | null>;
  /** Electron: native open-file dialog for a certificate or key. */
  pickFile?: (purpose: 'tls-ca' | 'tls-cert' | 'tls-key') => Promise<string | null>;
  /** Folders `browseFiles` may list (browser mode's certificate picker); default: the home folder. */
  fileRoots?: string[];
  /** Status polling (default on). */
  poll?: boolean;
}

export interface Services {
  handlers: ApiHandlers;
  events: ServiceEvents;
  connections: ConnectionManager;
  repository: RepositoryBrowser;
  demo: DemoService;
  close(): Promise<void>;
}

export const DEFAULT_APP_ROOT = resolve(import.meta.dirname ?? __dirname, '../..');

function appVersion(appRoot: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function defaultClientFactory(): Promise<TritonClientFactory> {
  const { createTritonClient } = await import('../triton/api');
  return (opts) => createTritonClient(opts);
}

const lazyStartServer: StartEmbeddedServer = async (opts) => {
  const { startEmbeddedServer } = await import('../server');
  return startEmbeddedServer(opts);
};

export async function createServices(opts: ServicesOptions): Promise<Services> {
  const appRoot = opts.appRoot ?? DEFAULT_APP_ROOT;
  const events = new ServiceEvents();
  const emit = events.emit;
  const createClient = opts.createClient ?? (await defaultClientFactory());
  const connections = new ConnectionManager({ configDir: opts.configDir, createClient, emit, poll: opts.poll });
  const repository = new RepositoryBrowser({
    emit,
    allowOpenByPath: opts.mode === 'browser',
    pickFolder: opts.pickFolder,
  });
  const serverOps = new ServerOps(connections);
  const files = new FileBrowser(opts.fileRoots ?? [homedir()]);
  // Browser mode's bridge copies output bytes into its frames; only IPC needs them in own buffers.
  const inference = new InferenceRelay(connections, opts.mode !== 'browser');
  const metrics = new MetricsService(connections);
  const demo = new DemoService({
    repoDir: opts.demoRepoDir ?? join(appRoot, 'assets/demo-repo'),
    mediaDir: opts.demoMediaDir ?? join(appRoot, 'assets/demo'),
    emit,
    connections,
    repository,
    startServer: opts.startServer ?? lazyStartServer,
  });
  const version = appVersion(appRoot);

  const handlers: ApiHandlers = {
    appInfo: () =>
      Promise.resolve({
        mode: opts.mode,
        appVersion: version,
        versions: { node: process.versions.node, electron: process.versions.electron, chrome: process.versions.chrome },
        platform: `${process.platform}-${process.arch}`,
        canOpenByPath: opts.mode === 'browser',
        hasNativeDialogs: Boolean(opts.pickFolder),
      }),

    listConnections: () => Promise.resolve(connections.list()),
    saveConnection: (p) => connections.save(p),
    deleteConnection: async ({ id }) => (await connections.delete(id), { ok: true as const }),
    connect: ({ id }) => connections.connect(id),
    disconnect: ({ id }) => connections.disconnect(id),
    connectionStatus: ({ id }) => Promise.resolve(connections.status(id)),
    refreshStatus: ({ id }) => connections.refresh(id),

    pickFile: async ({ purpose }) => {
      if (!opts.pickFile) {
        throw new ApiError('FAILED_PRECONDITION', 'no native file dialog here (browser mode): use browseFiles');
      }
      const path = await opts.pickFile(purpose);
      return path === null ? null : { path };
    },
    browseFiles: async ({ dir }) => {
      // With native dialogs (Electron) the page never needs to list folders itself: refusing keeps a
      // compromised page from surveying the home folder.
      if (opts.pickFile) throw new ApiError('FAILED_PRECONDITION', 'the native file dialog is used here: use pickFile');
      return files.browse(dir);
    },

    repositoryIndex: (r) => serverOps.repositoryIndex(r),
    modelMetadata: (r) => serverOps.modelMetadata(r),
    modelConfig: (r) => serverOps.modelConfig(r),
    modelStatistics: (r) => serverOps.modelStatistics(r),
    loadModel: (r) => serverOps.loadModel(r),
    unloadModel: (r) => serverOps.unloadModel(r),
    serverMetrics: (r) => metrics.scrape(r),

    openRepository: (r) => repository.openRequested(r?.path),
    listRepositories: () => Promise.resolve(repository.list()),
    closeRepository: ({ rootId }) => {
      repository.close(rootId);
      return Promise.resolve({ ok: true as const });
    },
    listRepositoryModels: ({ rootId }) => repository.listModels(rootId),
    readFile: ({ rootId, path }) => repository.readFile(rootId, path),
    validateConfig: ({ text, file }) => Promise.resolve(repository.validate(text, file)),
    saveFile: (r) => repository.saveFile(r.rootId, r.path, r.text, r.expectedHash, r.force),
    configDiff: async (r) => {
      const disk = await repository.readFile(r.rootId, r.path);
      let server = null;
      if (r.connectionId && r.model) {
        try {
          const c = await serverOps.modelConfig({ connectionId: r.connectionId, model: r.model });
          server = { json: c.config, pbtxt: c.pbtxt ?? null, error: null };
        } catch (err) {
          const e = serializeError(err);
          server = { json: null, pbtxt: null, error: { code: e.code, message: e.message } };
        }
      }
      return { disk: { text: disk.text, hash: disk.hash }, server };
    },

    infer: (r) => inference.infer(r),

    demoStatus: () => demo.status(),
    startDemo: () => demo.start(),
    stopDemo: () => demo.stop(),
    readDemoMedia: ({ name }) => demo.readMedia(name),
  };

  return {
    handlers,
    events,
    connections,
    repository,
    demo,
    async close() {
      await demo.stop().catch(() => undefined);
      await connections.close();
    },
  };
}
