/**
 * The embedded Triton-protocol server: serves a model repository over Triton's gRPC protocol
 * (inference.GRPCInferenceService + grpc.health.v1.Health) and, when asked, its HTTP/REST protocol
 * (./http), on loopback by default, running ONNX models with onnxruntime-node and ensembles of
 * them. Both front ends answer from one model manager. See PROTOCOL.md for the semantics followed.
 */
import * as grpc from '@grpc/grpc-js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { prewarmWorkers } from './backends/workerPool';
import { ModelManager, type ControlMode, type IndexEntry } from './modelManager';
import { SharedMemoryManager } from './sharedMemory';
import { LogSettings, TraceSettings } from './settings';
import { healthHandlers, inferenceHandlers, loadServiceDefinitions, type ServiceContext } from './grpcService';
import { startHttpFront, type HttpFront } from './http/httpFront';
import { startMetricsEndpoint, type MetricsEndpoint } from './metrics';
import { widenConnectionWindows, widenStreamWindows } from './flowControl';

/**
 * What Triton's ServerMetadata lists (InferenceServer's constructor, in its order): the same list
 * whatever the flags, e.g. system_shared_memory even when client shared memory is disabled.
 */
const TRITON_EXTENSIONS = [
  'classification',
  'sequence',
  'model_repository',
  'model_repository(unload_dependents)',
  'schedule_policy',
  'model_configuration',
  'system_shared_memory',
  'cuda_shared_memory',
  'binary_tensor_data',
  'parameters',
  'statistics',
  'trace',
  'logging',
];

export interface EmbeddedServerTls {
  /** PEM server certificate chain and private key (contents, not paths). */
  cert: string | Buffer;
  key: string | Buffer;
  /** PEM CA used to verify client certificates (mTLS). */
  ca?: string | Buffer;
  /** Reject clients without a certificate signed by `ca`. */
  requireClientCert?: boolean;
}

export interface EmbeddedServerOptions {
  modelRepository: string;
  host?: string;
  port?: number;
  /** Also serve Triton's HTTP/REST protocol on this port (0 = any free port; absent = no HTTP). Same host and TLS. */
  httpPort?: number;
  tls?: EmbeddedServerTls;
  controlMode?: ControlMode;
  /** Models to load at start-up in explicit mode ('*' = all). In 'none' mode everything loads. */
  loadModels?: string[] | '*';
  /** Shorthand for loadModels: '*'. */
  loadAll?: boolean;
  allowClientShm?: boolean;
  /** Serve Prometheus metrics at http://host:N/metrics (0 = any free port; absent = no metrics). Plain HTTP, same host. */
  metricsPort?: number;
  /** Receives server log lines (load failures and the like); silent by default. */
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  port: number;
  /** host:port, the form TritonClient takes. */
  url: string;
  /** The HTTP/REST port and host:port, when `httpPort` was given. */
  httpPort?: number;
  httpUrl?: string;
  /** The repository index as RepositoryIndex reports it (for printing states at start-up). */
  repositoryIndex(): IndexEntry[];
  close(): Promise<void>;
  /** The metrics port and its /metrics URL, when `metricsPort` was given. */
  metricsPort?: number;
  metricsUrl?: string;
}

/** ServerMetadata answers: name "triton" so clients treat us as Triton; the version says who we are. */
export const SERVER_NAME = 'triton';
export const SERVER_VERSION = '2.61.0-tritonscope-embedded';

const INT32_MAX = 2_147_483_647;

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const repository = resolve(options.modelRepository);
  let isDir = false;
  try {
    isDir = statSync(repository).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new Error(`model repository '${repository}' is not a directory`);
  prewarmWorkers(1); // models load in worker threads (backends/workerRunner); start one early

  const host = options.host ?? '127.0.0.1';
  const controlMode = options.controlMode ?? 'explicit';
  const log = options.log ?? (() => {});
  const allowShm = options.allowClientShm ?? false;
  const manager = new ModelManager({ repository, controlMode, log });
  const shm = new SharedMemoryManager(allowShm);
  await manager.startup(options.loadAll ? '*' : options.loadModels);

  let metricsFront: MetricsEndpoint | undefined;
  if (options.metricsPort !== undefined) {
    try {
      metricsFront = await startMetricsEndpoint({
        loadedVersions: () => manager.loadedVersionStatistics(),
        host,
        port: options.metricsPort,
      });
    } catch (err) {
      await manager.close();
      throw new Error(`cannot listen on ${host}:${options.metricsPort} (metrics): ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  const server = new grpc.Server({
    'grpc.max_receive_message_length': INT32_MAX,
    'grpc.max_send_message_length': INT32_MAX,
  });
  widenStreamWindows(server, log);
  const defs = loadServiceDefinitions();
  const context: ServiceContext = {
    manager,
    shm,
    trace: new TraceSettings(),
    logSettings: new LogSettings(),
    serverName: SERVER_NAME,
    serverVersion: SERVER_VERSION,
    extensions: TRITON_EXTENSIONS,
    log,
  };
  server.addService(defs.inference, inferenceHandlers(context));
  server.addService(defs.health, healthHandlers());

  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        options.tls.ca ? Buffer.from(options.tls.ca) : null,
        [{ cert_chain: Buffer.from(options.tls.cert), private_key: Buffer.from(options.tls.key) }],
        options.tls.requireClientCert ?? false,
      )
    : grpc.ServerCredentials.createInsecure();
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let port: number;
  try {
    port = await new Promise<number>((resolvePort, reject) =>
      server.bindAsync(`${address}:${options.port ?? 0}`, credentials, (err, bound) =>
        err ? reject(err) : resolvePort(bound),
      ),
    );
  } catch (err) {
    await metricsFront?.close();
    await manager.close();
    throw new Error(`cannot listen on ${address}:${options.port ?? 0}: ${(err as Error).message}`, { cause: err });
  }
  widenConnectionWindows(server, log);

  let httpFront: HttpFront | undefined;
  if (options.httpPort !== undefined) {
    try {
      httpFront = await startHttpFront(context, { host, port: options.httpPort, tls: options.tls });
    } catch (err) {
      server.forceShutdown();
      await metricsFront?.close();
      await manager.close();
      throw new Error(`cannot listen on ${address}:${options.httpPort} (HTTP): ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  let closed: Promise<void> | undefined;
  return {
    port,
    url: `${address}:${port}`,
    httpPort: httpFront?.port,
    httpUrl: httpFront ? `${address}:${httpFront.port}` : undefined,
    repositoryIndex: () => manager.repositoryIndex(false),
    metricsPort: metricsFront?.port,
    metricsUrl: metricsFront ? `http://${address}:${metricsFront.port}/metrics` : undefined,
    close() {
      closed ??= (async () => {
        await Promise.all([
          httpFront?.close(),
          new Promise<void>((done) => {
            // Give in-flight calls a moment, then cut whatever is left (open streams).
            const timer = setTimeout(() => {
              server.forceShutdown();
              done();
            }, 2000);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
        ]);
        shm.close();
        await manager.close();
        await metricsFront?.close();
      })();
      return closed;
    },
  };
}

export type { IndexEntry } from './modelManager';
