/**
 * The gRPC surface: inference.GRPCInferenceService (every RPC) and grpc.health.v1.Health/Check,
 * mapping requests onto the model manager and errors onto gRPC statuses with Triton's texts.
 */
import * as grpc from '@grpc/grpc-js';
import { loadTritonPackageDefinition } from '../triton/protos';
import type { ModelManager } from './modelManager';
import type { SharedMemoryManager } from './sharedMemory';
import type { LogSettings, TraceSettings } from './settings';
import { modelMetadata } from './queries';
import { runInference } from './inferService';
import { asTritonError, boundedErrorText, invalidArg, unsupported } from './tritonError';
import { parseVersionString } from './versionString';
import type { DecodedInferRequest, DecodedParam } from './inferRequest';

export interface ServiceContext {
  manager: ModelManager;
  shm: SharedMemoryManager;
  trace: TraceSettings;
  logSettings: LogSettings;
  serverName: string;
  serverVersion: string;
  extensions: string[];
  log: (line: string) => void;
}

/**
 * Request messages as @grpc/proto-loader decodes them (snake_case keys, oneofs named): only the
 * fields these handlers read. Every field may be absent on the wire, so every one is optional.
 */
interface ModelRequest {
  name?: string;
  version?: string;
}
interface RepositoryRequest {
  repository_name?: string;
  model_name?: string;
  ready?: boolean;
  parameters?: Record<string, DecodedParam & { bytes_param?: Buffer }>;
}
interface ShmRequest {
  name?: string;
  key?: string;
  offset?: string | number;
  byte_size?: string | number;
}
interface TraceRequest {
  model_name?: string;
  settings?: Record<string, { value?: string[] }>;
}
interface LogRequest {
  settings?: Record<string, DecodedParam & { uint32_param?: number }>;
}
type StreamResponse = { error_message: string; infer_response: unknown };

function toStatus(err: unknown): Partial<grpc.StatusObject> {
  const e = asTritonError(err);
  return { code: e.grpcCode, details: boundedErrorText(e.message) };
}

function unary<Req, Res>(
  fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request, call))
      .then(
        (res) => callback(null, res),
        (err) => callback(toStatus(err) as grpc.ServiceError),
      );
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function loadServiceDefinitions(): { inference: grpc.ServiceDefinition; health: grpc.ServiceDefinition } {
  const pkg = grpc.loadPackageDefinition(loadTritonPackageDefinition());
  const at = (path: string) =>
    (path.split('.').reduce<unknown>((o, k) => (o as grpc.GrpcObject)[k], pkg) as grpc.ServiceClientConstructor)
      .service;
  return { inference: at('inference.GRPCInferenceService'), health: at('grpc.health.v1.Health') };
}

export function inferenceHandlers(ctx: ServiceContext): grpc.UntypedServiceImplementation {
  const { manager, shm } = ctx;
  return {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: manager.serverReady() })),
    ModelReady: unary((req: ModelRequest) => ({ ready: manager.isModelReady(str(req.name), str(req.version)) })),
    ServerMetadata: unary(() => ({ name: ctx.serverName, version: ctx.serverVersion, extensions: ctx.extensions })),

    ModelMetadata: unary((req: ModelRequest) => modelMetadata(manager, str(req.name), str(req.version))),

    ModelConfig: unary((req: ModelRequest) => {
      const { config } = manager.getReady(str(req.name), parseVersionString(str(req.version)));
      return { config };
    }),

    ModelStatistics: unary((req: ModelRequest) => ({
      model_stats: manager.statistics(str(req.name), str(req.version)),
    })),

    RepositoryIndex: unary((req: RepositoryRequest) => {
      if (str(req.repository_name) !== '') throw unsupported("'repository_name' specification is not supported");
      return { models: manager.repositoryIndex(req.ready === true) };
    }),

    RepositoryModelLoad: unary(async (req: RepositoryRequest) => {
      if (str(req.repository_name) !== '') throw unsupported("'repository_name' specification is not supported");
      let config: string | undefined;
      const files = new Map<string, Uint8Array>();
      for (const [key, p] of Object.entries(req.parameters ?? {})) {
        if (key === 'config') {
          if (p.parameter_choice !== 'string_param')
            throw invalidArg("invalid value type for load parameter 'config', expected string_param.");
          config = p.string_param ?? '';
        } else if (key.startsWith('file:')) {
          if (p.parameter_choice !== 'bytes_param')
            throw invalidArg(`invalid value type for load parameter '${key}', expected bytes_param.`);
          files.set(key.slice('file:'.length), p.bytes_param ?? Buffer.alloc(0));
        } else {
          throw invalidArg(`unrecognized load parameter '${key}'.`);
        }
      }
      await manager.loadModel(str(req.model_name), { config, files });
      return {};
    }),

    RepositoryModelUnload: unary(async (req: RepositoryRequest) => {
      if (str(req.repository_name) !== '') throw unsupported("'repository_name' specification is not supported");
      let unloadDependents = false;
      const p = (req.parameters ?? {}).unload_dependents;
      if (p) {
        if (p.parameter_choice !== 'bool_param')
          throw invalidArg("invalid value type for 'unload_dependents' parameter, expected bool_param.");
        unloadDependents = p.bool_param === true;
      }
      await manager.unloadModel(str(req.model_name), unloadDependents);
      return {};
    }),

    ModelInfer: unary((req: DecodedInferRequest) => runInference(manager, shm, req, 'unary')),

    ModelStreamInfer: (call: grpc.ServerDuplexStream<DecodedInferRequest, StreamResponse>) => {
      const grpcErrorMode = String(call.metadata.get('triton_grpc_error')[0] ?? '').toLowerCase() === 'true';
      let pending = 0;
      let inputEnded = false;
      let failed = false;
      const maybeEnd = () => {
        if (inputEnded && pending === 0 && !failed) call.end();
      };
      call.on('data', (req: DecodedInferRequest) => {
        if (failed) return;
        pending++;
        runInference(manager, shm, req, 'stream')
          .then(
            (response) => {
              if (!failed) call.write({ error_message: '', infer_response: response });
            },
            (err) => {
              if (failed) return;
              const e = asTritonError(err);
              if (grpcErrorMode) {
                failed = true;
                call.emit('error', { code: e.grpcCode, details: boundedErrorText(e.message) });
              } else {
                call.write({ error_message: boundedErrorText(e.message), infer_response: { id: req.id ?? '' } });
              }
            },
          )
          .finally(() => {
            pending--;
            maybeEnd();
          });
      });
      call.on('end', () => {
        inputEnded = true;
        maybeEnd();
      });
      call.on('error', () => {
        failed = true;
      });
    },

    SystemSharedMemoryStatus: unary((req: ShmRequest) => ({ regions: shm.systemStatus(str(req.name)) })),
    SystemSharedMemoryRegister: unary((req: ShmRequest) => {
      shm.registerSystem(str(req.name), str(req.key), Number(req.offset ?? 0), Number(req.byte_size ?? 0));
      return {};
    }),
    SystemSharedMemoryUnregister: unary((req: ShmRequest) => {
      shm.unregisterSystem(str(req.name));
      return {};
    }),
    CudaSharedMemoryStatus: unary((req: ShmRequest) => ({ regions: shm.cudaStatus(str(req.name)) })),
    // Triton built without GPU support answers this over gRPC before any check of
    // --allow-client-shm (grpc_server.cc, the #else of TRITON_ENABLE_GPU); HTTP checks it first.
    CudaSharedMemoryRegister: unary((req: ShmRequest) => shm.registerCuda(str(req.name))),
    CudaSharedMemoryUnregister: unary(() => {
      shm.unregisterCuda();
      return {};
    }),

    TraceSetting: unary((req: TraceRequest) => {
      const updates: Record<string, string[]> = {};
      for (const [key, v] of Object.entries(req.settings ?? {})) updates[key] = v.value ?? [];
      const model = str(req.model_name);
      if (model && !manager.isModelReady(model, '')) throw invalidArg(`Request for unknown model : ${model}`);
      const settings = ctx.trace.update(model, updates);
      return { settings: Object.fromEntries(Object.entries(settings).map(([k, value]) => [k, { value }])) };
    }),

    LogSettings: unary((req: LogRequest) => {
      ctx.logSettings.update(req.settings ?? {});
      return { settings: ctx.logSettings.toProto() };
    }),
  };
}

export function healthHandlers(): grpc.UntypedServiceImplementation {
  return {
    // The server answers at all only while it is live, so Check is always SERVING.
    Check: unary(() => ({ status: 'SERVING' })),
  };
}
