/**
 * Triton's HTTP/REST routes (http_server.cc HTTPAPIServer::Handle, matched in its order with its
 * regular expressions), each answering from the same model manager, shared-memory manager and
 * settings as the gRPC front end, with Triton's methods, status codes and JSON shapes.
 */
import { loadTritonRoot } from '../../triton/protos';
import type { ServiceContext } from '../grpcService';
import { modelMetadata } from '../queries';
import { internal, invalidArg, unavailable, unsupported } from '../tritonError';
import { parseVersionString } from '../versionString';
import { asArray, asString, asUInt, isObject, parseRequestJson, type Json, type JsonObject } from './json';

export interface HttpCall {
  method: string;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpReply {
  status: number;
  /** Body parts, sent back to back. */
  body?: Buffer[];
  headers?: Record<string, string>;
}

/** An error status with Triton's body, {"error": "..."}. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly json = true,
  ) {
    super(message);
  }
}

const methodNotAllowed = () => new HttpStatusError(405, 'Method Not Allowed');
const JSON_TYPE = { 'content-type': 'application/json' };

function only(call: HttpCall, ...methods: string[]): void {
  if (!methods.includes(call.method)) throw methodNotAllowed();
}

const json = (value: unknown): HttpReply => ({
  status: 200,
  body: [Buffer.from(JSON.stringify(value))],
  headers: JSON_TYPE,
});
const ok = (): HttpReply => ({ status: 200, headers: JSON_TYPE });

function requestObject(call: HttpCall): JsonObject {
  const v = parseRequestJson(call.body);
  if (!isObject(v)) throw internal('attempt to access JSON non-object as object');
  return v;
}

/**
 * A repository request's body, read as Triton's handlers read it: they only look members up
 * (TritonJson Find), and a lookup in an array or a number finds nothing, so such a body is
 * an empty request rather than an error.
 */
function lookupBody(call: HttpCall): JsonObject {
  const v = parseRequestJson(call.body);
  return isObject(v) ? v : {};
}

/** The ModelConfig as protobuf prints it with every primitive field (ModelConfigToJson), int64 as numbers. */
function configJson(config: object): unknown {
  const type = loadTritonRoot().lookupType('inference.ModelConfig');
  const full = type.toObject(type.fromObject(config), {
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
  });
  // Unset sub-messages come out as null; protobuf's JSON printer leaves them out.
  return JSON.parse(JSON.stringify(full, (_k, v: unknown) => (v === null ? undefined : v))) as unknown;
}

/** A setting's value as Triton prints it in an error: strings bare, anything else as JSON. */
const formatText = (v: Json | undefined) => (typeof v === 'string' ? v : JSON.stringify(v));

type Handler = (call: HttpCall, groups: string[]) => HttpReply | Promise<HttpReply>;

/** The infer route is handled by the front (it streams binary data); everything else is here. */
export function apiRoutes(ctx: ServiceContext, infer: Handler): (path: string, call: HttpCall) => Promise<HttpReply> {
  const { manager, shm } = ctx;

  const stats = (call: HttpCall, name: string, version: string) => {
    only(call, 'GET');
    return json({ model_stats: manager.statistics(name, version) });
  };

  const trace = (call: HttpCall, model: string) => {
    only(call, 'GET', 'POST');
    if (model && !manager.isModelReady(model, '')) throw invalidArg(`Request for unknown model : ${model}`);
    const updates: Record<string, string[]> = {};
    if (call.method === 'POST') {
      const body = requestObject(call);
      if ('trace_file' in body) throw unsupported('trace file location can not be updated through network protocol');
      for (const [key, v] of Object.entries(body)) {
        if (key === 'trace_level') updates[key] = v === null ? [] : asArray(v).map((l) => asString(l));
        else if (key === 'trace_rate' || key === 'trace_count' || key === 'log_frequency')
          updates[key] = v === null ? [] : [asString(v)];
      }
    }
    const settings = ctx.trace.update(model, updates);
    // trace_level is a list; the others are single strings over HTTP.
    return json(
      Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, k === 'trace_level' ? v : (v[0] ?? '')])),
    );
  };

  const logging = (call: HttpCall) => {
    only(call, 'GET', 'POST');
    if (call.method === 'POST') {
      const body = requestObject(call);
      if ('log_file' in body && body['log_file'] !== null)
        throw unsupported('log file location can not be updated through network protocol');
      const updates: Parameters<typeof ctx.logSettings.update>[0] = {};
      for (const [key, v] of Object.entries(body)) {
        if (v === null || key === 'log_file') continue;
        if (typeof v === 'boolean') updates[key] = { parameter_choice: 'bool_param', bool_param: v };
        else if (typeof v === 'string') updates[key] = { parameter_choice: 'string_param', string_param: v };
        else if (typeof v === 'number' || typeof v === 'bigint')
          updates[key] = { parameter_choice: 'uint32_param', uint32_param: Number(asUInt(v)) };
      }
      try {
        ctx.logSettings.update(updates);
      } catch (err) {
        // The HTTP handler words an unknown format after the command-line flag.
        if (err instanceof Error && err.message.startsWith('invalid argument for log_format'))
          throw unavailable(`invalid argument for --log_format, got: ${formatText(body['log_format'])}`);
        throw err;
      }
    }
    return json(ctx.logSettings.values);
  };

  const health = (call: HttpCall, kind: string) => {
    only(call, 'GET');
    const yes = kind === 'live' ? true : manager.serverReady();
    return { status: yes ? 200 : 400 };
  };

  const modelReady = (call: HttpCall, name: string, version: string) => {
    only(call, 'GET');
    parseVersionString(version);
    if (!manager.isModelReady(name, version)) throw new HttpStatusError(400, 'Model version not ready', false);
    return { status: 200 };
  };

  const config = (call: HttpCall, name: string, version: string) => {
    only(call, 'GET');
    return json(configJson(manager.getReady(name, parseVersionString(version)).config));
  };

  const metadata = (call: HttpCall, name: string, version: string) => {
    only(call, 'GET');
    return json(modelMetadata(manager, name, version));
  };

  const serverMetadata = (call: HttpCall) => {
    only(call, 'GET');
    return json({ name: ctx.serverName, version: ctx.serverVersion, extensions: ctx.extensions });
  };

  const systemShm = (call: HttpCall, region: string, action: string) => {
    only(call, action === 'status' ? 'GET' : 'POST');
    if (action === 'status') return json(Object.values(shm.systemStatus(region)));
    if (action === 'unregister') {
      shm.unregisterSystem(region);
      return ok();
    }
    if (!shm.allowed) shm.registerSystem(region, '', 0, 0); // throws Triton's "disabled" error
    if (!region) throw invalidArg("'region name' is necessary to register system shared memory region");
    const body = requestObject(call);
    if (!('key' in body)) throw invalidArg("Shared memory register request has no 'key' field");
    const key = asString(body['key']);
    const offset = 'offset' in body ? Number(asUInt(body['offset'])) : 0;
    if (!('byte_size' in body)) throw invalidArg("Shared memory register request has no 'byte_size' field");
    shm.registerSystem(region, key, offset, Number(asUInt(body['byte_size'])));
    return ok();
  };

  const cudaShm = (call: HttpCall, region: string, action: string) => {
    only(call, action === 'status' ? 'GET' : 'POST');
    if (action === 'status') return json(Object.values(shm.cudaStatus(region)));
    if (action === 'unregister') {
      shm.unregisterCuda();
      return ok();
    }
    shm.assertAllowed();
    if (!region) throw invalidArg("'region name' is necessary to register cuda shared memory region");
    // A build without GPU support answers this (the embedded server runs on the CPU).
    return shm.registerCuda(region);
  };

  const repositoryIndex = (call: HttpCall, repository: string) => {
    only(call, 'POST');
    void repository; // Triton's index handler ignores a repository name
    const body = lookupBody(call);
    let ready = false;
    if ('ready' in body) {
      if (typeof body['ready'] !== 'boolean') throw invalidArg("Invalid value for 'ready': expected a boolean");
      ready = body['ready'];
    }
    // TRITONSERVER_ServerModelIndex: version only when known, reason only when there is one.
    return json(
      manager.repositoryIndex(ready).map((e) => {
        const entry: Record<string, string> = { name: e.name };
        if (e.state !== undefined) {
          if (e.version) entry['version'] = e.version;
          entry['state'] = e.state;
          if (e.reason) entry['reason'] = e.reason;
        }
        return entry;
      }),
    );
  };

  const repositoryControl = async (call: HttpCall, repository: string, name: string, action: string) => {
    only(call, 'POST');
    if (repository) throw unsupported("'repository_name' specification is not supported");
    const body = lookupBody(call);
    const params = isObject(body['parameters']) ? body['parameters'] : {};
    if (action === 'load') {
      // Triton lists the members of 'parameters' (TritonJson Members), which fails on a non-object.
      if ('parameters' in body && !isObject(body['parameters']))
        throw internal('attempt to get members for non-object');
      let config: string | undefined;
      const files = new Map<string, Uint8Array>();
      for (const [key, v] of Object.entries(params)) {
        const text = asString(v);
        if (key === 'config') config = text;
        else if (key.startsWith('file:')) files.set(key.slice('file:'.length), Buffer.from(text, 'base64'));
        else throw internal('unexpected error on creating Triton parameter');
      }
      await manager.loadModel(name, { config, files });
    } else {
      // An unparsable unload_dependents is ignored there too (the unload's result replaces the error).
      const value = params['unload_dependents'];
      const dependents = typeof value === 'boolean' && value;
      await manager.unloadModel(name, dependents);
    }
    return ok();
  };

  const decode = (s: string | undefined) => {
    if (!s) return '';
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const MODEL =
    /^\/v2\/models\/([^/]+)(?:\/versions\/([0-9]+))?(?:\/(infer|generate|generate_stream|ready|config|stats|trace\/setting))?$/;
  const SERVER = /^\/v2(?:\/health\/(live|ready))?$/;
  const SYSTEM_SHM = /^\/v2\/systemsharedmemory(?:\/region\/([^/]+))?\/(status|register|unregister)$/;
  const CUDA_SHM = /^\/v2\/cudasharedmemory(?:\/region\/([^/]+))?\/(status|register|unregister)$/;
  const REPOSITORY = /^\/v2\/repository(?:\/([^/]+))?\/(index|models\/([^/]+)\/(load|unload))$/;

  return async (path, call) => {
    if (path === '/v2/models/stats') return stats(call, '', '');
    if (path === '/v2/logging') return logging(call);
    let m = MODEL.exec(path);
    if (m) {
      const [name, version, kind] = [decode(m[1]), m[2] ?? '', m[3] ?? ''];
      if (kind === 'ready') return modelReady(call, name, version);
      if (kind === 'infer') return infer(call, [name, version]);
      if (kind === 'generate' || kind === 'generate_stream')
        throw unsupported(`the embedded server does not implement the '${kind}' extension`);
      if (kind === 'config') return config(call, name, version);
      if (kind === 'stats') return stats(call, name, version);
      if (kind === 'trace/setting') {
        if (!version) return trace(call, name);
      } else return metadata(call, name, version);
    }
    if (path === '/v2') return serverMetadata(call);
    if ((m = SERVER.exec(path))) return health(call, m[1] ?? '');
    if ((m = SYSTEM_SHM.exec(path))) return systemShm(call, decode(m[1]), m[2]);
    if ((m = CUDA_SHM.exec(path))) return cudaShm(call, decode(m[1]), m[2]);
    if ((m = REPOSITORY.exec(path))) {
      if (m[2] === 'index') return repositoryIndex(call, decode(m[1]));
      return repositoryControl(call, decode(m[1]), decode(m[3]), m[4]);
    }
    if (path === '/v2/trace/setting') return trace(call, '');
    throw new HttpStatusError(404, 'Not Found', false);
  };
}

export type { Json };
