/**
 * A small real gRPC server speaking our Triton protocol, used as the peer for client tests of
 * conversions, errors, deadlines, streaming and TLS until/besides the embedded server
 * (engineer 2's electron/server, whose integration tests cover Triton's semantics). It records the
 * requests it receives so tests can check what the client put on the wire.
 */
import * as grpc from '@grpc/grpc-js';
import { loadTritonPackageDefinition } from '../../../electron/triton/protos';

type Obj = Record<string, any>;

export interface PeerServer {
  port: number;
  url: string;
  received: Array<{ rpc: string; request: Obj; metadata: grpc.Metadata }>;
  close(): Promise<void>;
}

const notFound = (m: string) => ({
  code: grpc.status.NOT_FOUND,
  details: `Request for unknown model: '${m}' is not found`,
});

function echo(req: Obj): Obj {
  if (req.model_name !== 'echo' && req.model_name !== 'slow' && req.model_name !== 'decoupled')
    return { error: notFound(req.model_name) };
  const wanted: string[] = (req.outputs ?? []).map((o: Obj) => o.name);
  const outputs: Obj[] = [];
  const raw: Buffer[] = [];
  req.inputs.forEach((inp: Obj, i: number) => {
    const name = `${inp.name}_out`;
    if (wanted.length && !wanted.includes(name)) return;
    outputs.push({ name, datatype: inp.datatype, shape: inp.shape, parameters: {} });
    raw.push(req.raw_input_contents[i]);
  });
  return {
    response: {
      model_name: req.model_name,
      model_version: '1',
      id: req.id,
      parameters: req.parameters,
      outputs,
      raw_output_contents: raw,
    },
  };
}

export async function startPeerServer(opts: { credentials?: grpc.ServerCredentials } = {}): Promise<PeerServer> {
  const pkg = loadTritonPackageDefinition();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const received: PeerServer['received'] = [];
  const unary =
    (rpc: string, fn: (req: Obj) => Obj | Promise<Obj>) =>
    (call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) => {
      received.push({ rpc, request: call.request, metadata: call.metadata });
      Promise.resolve(fn(call.request)).then(
        (r) => (r.error ? cb(r.error) : cb(null, r.response ?? r)),
        (e) => cb(e),
      );
    };
  const shm: Obj = {};
  let trace: Obj = { trace_level: { value: ['OFF'] }, trace_rate: { value: ['1000'] } };
  let log: Obj = {
    log_info: { bool_param: true },
    log_verbose_level: { uint32_param: 0 },
    log_format: { string_param: 'default' },
  };
  server.addService(pkg['inference.GRPCInferenceService'] as grpc.ServiceDefinition, {
    ServerLive: unary('ServerLive', () => ({ live: true })),
    ServerReady: unary('ServerReady', () => ({ ready: false })),
    ServerMetadata: unary('ServerMetadata', () => ({
      name: 'triton',
      version: '2.61.0',
      extensions: ['model_repository', 'statistics'],
    })),
    ModelReady: unary('ModelReady', (r) => ({ ready: r.name === 'echo' })),
    ModelMetadata: unary('ModelMetadata', (r) =>
      r.name === 'echo'
        ? {
            name: 'echo',
            versions: ['1'],
            platform: 'onnxruntime_onnx',
            inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3, 360, 640] }],
            outputs: [{ name: 'x_out', datatype: 'FP32', shape: [-1, 2784, 77] }],
          }
        : { error: notFound(r.name) },
    ),
    ModelConfig: unary('ModelConfig', (r) =>
      r.name === 'echo'
        ? {
            config: {
              name: 'echo',
              platform: 'onnxruntime_onnx',
              backend: 'onnxruntime',
              max_batch_size: 8,
              input: [{ name: 'x', data_type: 'TYPE_FP32', format: 'FORMAT_NCHW', dims: [3, 360, 640] }],
              output: [{ name: 'x_out', data_type: 'TYPE_FP16', dims: [2784, 77] }],
              instance_group: [{ name: 'echo_0', kind: 'KIND_CPU', count: 2 }],
              dynamic_batching: { max_queue_delay_microseconds: '100', preferred_batch_size: [4, 8] },
              version_policy: { latest: { num_versions: 1 } },
              parameters: { k: { string_value: 'v' } },
            },
          }
        : { error: notFound(r.name) },
    ),
    ModelStatistics: unary('ModelStatistics', () => ({
      model_stats: [
        {
          name: 'echo',
          version: '1',
          last_inference: '1700000000000',
          inference_count: '18446744073709551615',
          execution_count: '3',
          inference_stats: { success: { count: '3', ns: '9007199254740993' }, queue: { count: '3', ns: '10' } },
          batch_stats: [{ batch_size: '1', compute_infer: { count: '3', ns: '42' } }],
          memory_usage: [],
          response_stats: { '0': { success: { count: '1', ns: '5' } } },
        },
      ],
    })),
    RepositoryIndex: unary('RepositoryIndex', () => ({
      models: [
        { name: 'echo', version: '1', state: 'READY' },
        { name: 'never_loaded' },
        { name: 'broken', version: '1', state: 'UNAVAILABLE', reason: 'unable to find backend' },
      ],
    })),
    RepositoryModelLoad: unary('RepositoryModelLoad', (r) =>
      r.model_name === 'bad'
        ? {
            error: {
              code: grpc.status.INVALID_ARGUMENT,
              details: "load failed for model 'bad': version 1 is at UNAVAILABLE state: Internal: boom;\n",
            },
          }
        : {},
    ),
    RepositoryModelUnload: unary('RepositoryModelUnload', () => ({})),
    ModelInfer: unary('ModelInfer', async (r) => {
      if (r.model_name === 'slow') await new Promise((res) => setTimeout(res, 400));
      return echo(r);
    }),
    ModelStreamInfer: (call: grpc.ServerDuplexStream<Obj, Obj>) => {
      let open = 0;
      let ended = false;
      const done = () => {
        if (ended && open === 0) call.end();
      };
      call.on('data', (req: Obj) => {
        received.push({ rpc: 'ModelStreamInfer', request: req, metadata: call.metadata });
        open++;
        const delay = Number(req.parameters?.delay_ms?.int64_param ?? 0);
        setTimeout(() => {
          const r = echo(req);
          if (r.error) {
            if (call.metadata.get('triton_grpc_error')[0] === 'true') {
              call.emit('error', { code: r.error.code, details: r.error.details });
              open--;
              return;
            }
            call.write({ error_message: r.error.details, infer_response: { id: req.id } });
          } else if (req.model_name === 'decoupled') {
            for (let k = 0; k < 3; k++) {
              call.write({
                infer_response: {
                  ...r.response,
                  parameters: { step: { int64_param: k }, triton_final_response: { bool_param: false } },
                },
              });
            }
            call.write({
              infer_response: {
                model_name: 'decoupled',
                model_version: '1',
                id: req.id,
                parameters: { triton_final_response: { bool_param: true } },
              },
            });
          } else {
            call.write({
              infer_response: {
                ...r.response,
                parameters: { ...r.response.parameters, triton_final_response: { bool_param: true } },
              },
            });
          }
          open--;
          done();
        }, delay);
      });
      call.on('end', () => {
        ended = true;
        done();
      });
    },
    SystemSharedMemoryStatus: unary('SystemSharedMemoryStatus', (r) => {
      if (r.name && !shm[r.name])
        return {
          error: { code: grpc.status.NOT_FOUND, details: `Unable to find system shared memory region: '${r.name}'` },
        };
      return { regions: r.name ? { [r.name]: shm[r.name] } : shm };
    }),
    SystemSharedMemoryRegister: unary('SystemSharedMemoryRegister', (r) => {
      if (shm[r.name])
        return {
          error: { code: grpc.status.ALREADY_EXISTS, details: `shared memory region '${r.name}' already in manager` },
        };
      shm[r.name] = { name: r.name, key: r.key, offset: r.offset, byte_size: r.byte_size };
      return {};
    }),
    SystemSharedMemoryUnregister: unary('SystemSharedMemoryUnregister', (r) => {
      if (r.name) delete shm[r.name];
      else for (const k of Object.keys(shm)) delete shm[k];
      return {};
    }),
    CudaSharedMemoryStatus: unary('CudaSharedMemoryStatus', () => ({
      regions: { gpu0: { name: 'gpu0', device_id: '0', byte_size: '4096' } },
    })),
    CudaSharedMemoryRegister: unary('CudaSharedMemoryRegister', () => ({
      error: {
        code: grpc.status.UNIMPLEMENTED,
        details: "Client shared memory is disabled. Start the server with '--allow-client-shm=true' to enable.",
      },
    })),
    CudaSharedMemoryUnregister: unary('CudaSharedMemoryUnregister', () => ({})),
    TraceSetting: unary('TraceSetting', (r) => {
      trace = { ...trace, ...r.settings };
      return { settings: trace };
    }),
    LogSettings: unary('LogSettings', (r) => {
      for (const [k, v] of Object.entries(r.settings as Obj)) {
        if (k === 'log_verbose_level' && (v as Obj).parameter_choice !== 'uint32_param') {
          return { error: { code: grpc.status.INVALID_ARGUMENT, details: `expect uint32 for '${k}'` } };
        }
      }
      log = { ...log, ...r.settings };
      return { settings: log };
    }),
  });
  server.addService(pkg['grpc.health.v1.Health'] as grpc.ServiceDefinition, {
    Check: (call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) => cb(null, { status: 'SERVING' }),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', opts.credentials ?? grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return {
    port,
    url: `127.0.0.1:${port}`,
    received,
    close: async () => {
      server.forceShutdown();
    },
  };
}
