/**
 * POST /v2/models/NAME[/versions/V]/infer (http_server.cc HandleInfer): the JSON header and binary
 * tensor data become the same decoded request the gRPC front end hands to runInference, so both
 * protocols share one validation and execution path; the response goes back as a JSON header
 * followed by the binary outputs (Inference-Header-Content-Length), or as JSON data.
 */
import type { DecodedInferRequest, DecodedParam } from '../inferRequest';
import type { InferResponseMessage } from '../inferResponse';
import { invalidArg } from '../tritonError';
import {
  asArray,
  asBool,
  asInt,
  asString,
  asUInt,
  isObject,
  member,
  MAX_JSON_INPUT_BYTES,
  parseRequestJson,
  stringifyJson,
  withContext,
  type Json,
  type JsonObject,
} from './json';
import { jsonToTensorBytes, tensorBytesToJson } from './jsonTensor';

export const HEADER_LENGTH = 'inference-header-content-length';

export interface HttpInferRequest {
  decoded: DecodedInferRequest;
  /** How each named output goes back; outputs not named use `defaultKind`. */
  outputKinds: Map<string, 'binary' | 'json' | 'shm'>;
  defaultKind: 'binary' | 'json';
}

/** std::stoi of a header value: leading blanks, sign, digits (trailing text ignored), int32. */
function stoi(text: string, header: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) throw invalidArg(`Unable to parse ${header}, got: ${text}`);
  const n = Number(m[1]);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1)
    throw invalidArg(`Unable to parse ${header}, value is out of range [ -2147483648, 2147483647 ], got: ${text}`);
  return n;
}

/** The JSON header's length (GetInferenceHeaderLength): the whole body when the header is absent. */
export function inferenceHeaderLength(value: string | undefined, contentLength: number): number {
  if (value === undefined) return contentLength;
  const n = stoi(value, 'Inference-Header-Content-Length');
  if (n < 0 || n > contentLength)
    throw invalidArg(`inference header size should be in range (0, ${contentLength}), got: ${value}`);
  return n;
}

const uintParam = (v: bigint): DecodedParam => ({ parameter_choice: 'uint64_param', uint64_param: v.toString() });
const intParam = (v: bigint): DecodedParam => ({ parameter_choice: 'int64_param', int64_param: v.toString() });

/** Request-level parameters (ParseJsonTritonParams) as the decoded proto parameters runInference checks. */
function requestParameters(params: JsonObject): { params: Record<string, DecodedParam>; binaryOutput: boolean } {
  const out: Record<string, DecodedParam> = {};
  let binaryOutput = false;
  for (const [key, v] of Object.entries(params)) {
    if (key === 'sequence_id') {
      // A uint64 correlation id, else a string one.
      if ((typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n))
        out[key] = intParam(asUInt(v));
      else
        out[key] = {
          parameter_choice: 'string_param',
          string_param: withContext("Unable to parse 'sequence_id'", () => asString(v)),
        };
    } else if (key === 'sequence_start' || key === 'sequence_end') {
      out[key] = {
        parameter_choice: 'bool_param',
        bool_param: withContext(`Unable to parse '${key}'`, () => asBool(v)),
      };
    } else if (key === 'priority') {
      out[key] = uintParam(withContext("Unable to parse 'priority'", () => asUInt(v)));
    } else if (key === 'timeout') {
      out[key] = intParam(withContext("Unable to parse 'timeout'", () => asUInt(v)));
    } else if (key === 'binary_data_output') {
      binaryOutput = withContext("Unable to parse 'binary_data_output'", () => asBool(v));
    } else if (key.startsWith('triton_')) {
      throw invalidArg(
        "parameter keys starting with 'triton_' are reserved for Triton usage and should not be specified.",
      );
    } else if (typeof v === 'string') {
      out[key] = { parameter_choice: 'string_param', string_param: v };
    } else if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) {
      out[key] = intParam(asInt(v));
    } else if (typeof v === 'boolean') {
      out[key] = { parameter_choice: 'bool_param', bool_param: v };
    } else if (typeof v === 'number') {
      out[key] = { parameter_choice: 'double_param', double_param: v };
    } else {
      throw invalidArg(`parameter '${key}' has invalid type. It should be either 'int', 'bool', or 'string'.`);
    }
  }
  return { params: out, binaryOutput };
}

/** shared_memory_* tensor parameters (CheckSharedMemoryData) in their decoded proto form. */
function shmParameters(params: JsonObject): Record<string, DecodedParam> {
  const out: Record<string, DecodedParam> = {};
  if ('shared_memory_region' in params)
    out['shared_memory_region'] = {
      parameter_choice: 'string_param',
      string_param: withContext("Unable to parse 'shared_memory_region'", () =>
        asString(params['shared_memory_region']),
      ),
    };
  for (const key of ['shared_memory_offset', 'shared_memory_byte_size'])
    if (key in params) out[key] = intParam(withContext(`Unable to parse '${key}'`, () => asUInt(params[key])));
  return out;
}

/** ValidateInputContentType: exactly one of data, binary_data_size, shared_memory_region. */
function checkInputSource(input: JsonObject, params: JsonObject): void {
  const has = { data: 'data' in input, binary: 'binary_data_size' in params, shm: 'shared_memory_region' in params };
  const set = Number(has.data) + Number(has.binary) + Number(has.shm);
  if (set === 1) return;
  let text =
    "Input must set only one of the following fields: 'data', 'binary_data_size' in 'parameters', 'shared_memory_region' in 'parameters'. But";
  if (set === 0) text += ' no field is set';
  else
    text += ` set${has.data ? " 'data'" : ''}${has.binary ? " 'binary_data_size'" : ''}${has.shm ? " 'shared_memory_region'" : ''}`;
  throw invalidArg(text);
}

/**
 * Parses the body (already decompressed) into the decoded request: binary inputs are views into
 * `body`, JSON inputs are converted to raw bytes.
 */
export function parseHttpInferRequest(
  model: string,
  version: string,
  body: Buffer,
  headerLength: number,
): HttpInferRequest {
  if (headerLength === 0) {
    // EVBufferToRawInput: the whole body is the data of the model's one input (see rawInputOf).
    if (body.byteLength > MAX_JSON_INPUT_BYTES)
      throw invalidArg(
        `Raw input has a byte_size (${body.byteLength} bytes) that exceeds the maximum allowed value of ${MAX_JSON_INPUT_BYTES} bytes. Use --http-max-input-size to increase the limit.`,
      );
    return {
      decoded: { model_name: model, model_version: version, id: '', raw_input: body },
      outputKinds: new Map(),
      defaultKind: 'json',
    };
  }
  // parseRequestJson holds the header to --http-max-input-size, as EVBufferToJson does.
  const header = parseRequestJson(body.subarray(0, headerLength), false);
  if (!isObject(header)) throw invalidArg("Unable to parse 'inputs': attempt to access JSON non-object as object");
  const decoded: DecodedInferRequest = { model_name: model, model_version: version, id: '', raw_input_contents: [] };
  if ('id' in header) decoded.id = withContext("Unable to parse 'id'", () => asString(header['id']));
  let defaultKind: 'binary' | 'json' = 'json';
  if ('parameters' in header) {
    const p = header['parameters'];
    if (!isObject(p)) throw invalidArg('failed to get request params.: attempt to get members for non-object');
    const { params, binaryOutput } = requestParameters(p);
    decoded.parameters = params;
    if (binaryOutput) defaultKind = 'binary';
  }

  let offset = headerLength;
  const inputs = withContext("Unable to parse 'inputs'", () => asArray(member(header, 'inputs')));
  decoded.inputs = inputs.map((raw: Json) => {
    if (!isObject(raw)) throw invalidArg('attempt to access JSON non-object as object');
    const params = isObject(raw['parameters']) ? raw['parameters'] : {};
    checkInputSource(raw, params);
    const name = withContext("Unable to parse 'name'", () => asString(member(raw, 'name')));
    const datatype = withContext("Unable to parse 'datatype'", () => asString(member(raw, 'datatype')));
    const shape = withContext("Unable to parse 'shape'", () =>
      asArray(member(raw, 'shape')).map((d) => Number(asUInt(d))),
    );
    if ('binary_data_size' in params) {
      const size = Number(withContext("Unable to parse 'binary_data_size'", () => asUInt(params['binary_data_size'])));
      const available = Math.min(size, body.byteLength - offset);
      decoded.raw_input_contents!.push(body.subarray(offset, offset + available));
      offset += available;
      if (available < size)
        throw invalidArg(
          `unexpected size for input '${name}', expecting ${size - available} additional bytes for model '${model}'`,
        );
      return { name, datatype, shape };
    }
    if ('shared_memory_region' in params) return { name, datatype, shape, parameters: shmParameters(params) };
    const elements = shape.reduce((a, b) => a * b, 1);
    if (elements === 0) {
      decoded.raw_input_contents!.push(Buffer.alloc(0));
      return { name, datatype, shape };
    }
    const data = withContext("Unable to parse 'data'", () => asArray(member(raw, 'data')));
    decoded.raw_input_contents!.push(jsonToTensorBytes(name, datatype, data, elements));
    return { name, datatype, shape };
  });
  if (offset !== body.byteLength) throw invalidArg(`unexpected additional input data for model '${model}'`);

  const outputKinds = new Map<string, 'binary' | 'json' | 'shm'>();
  if ('outputs' in header) {
    const outputs = withContext("Unable to parse 'outputs'", () => asArray(header['outputs']));
    decoded.outputs = outputs.map((raw: Json) => {
      if (!isObject(raw)) throw invalidArg('attempt to access JSON non-object as object');
      const params = isObject(raw['parameters']) ? raw['parameters'] : {};
      if ('shared_memory_region' in params) {
        if ('classification' in params)
          throw invalidArg("Output can't set both 'shared_memory_region' and 'classification'");
        if ('binary_data' in params && withContext("Unable to set 'binary_data'", () => asBool(params['binary_data'])))
          throw invalidArg("Output can't set both 'shared_memory_region' and 'binary_data'");
      }
      const name = withContext("Unable to parse 'name'", () => asString(member(raw, 'name')));
      const parameters = shmParameters(params);
      if ('classification' in params)
        parameters['classification'] = intParam(
          withContext("Unable to set 'classification'", () => asUInt(params['classification'])),
        );
      const binary =
        'binary_data' in params && withContext("Unable to parse 'binary_data'", () => asBool(params['binary_data']));
      outputKinds.set(name, 'shared_memory_region' in params ? 'shm' : binary ? 'binary' : 'json');
      return { name, parameters };
    });
  }
  return { decoded, outputKinds, defaultKind };
}

function jsonParameter(p: Record<string, unknown>): Json | undefined {
  if ('bool_param' in p) return Boolean(p['bool_param']);
  if ('int64_param' in p) return BigInt(String(p['int64_param']));
  if ('uint64_param' in p) return BigInt(String(p['uint64_param']));
  if ('double_param' in p) return Number(p['double_param']);
  if ('string_param' in p) return String(p['string_param']);
  return undefined;
}

export interface HttpInferReply {
  /** JSON header, then the binary outputs in order. */
  parts: Buffer[];
  /** Set when binary outputs follow the JSON header. */
  headerLength?: number;
}

/** FinalizeResponse: the response JSON and the binary output buffers after it. */
export function buildHttpInferReply(response: InferResponseMessage, request: HttpInferRequest): HttpInferReply {
  const header: Record<string, Json> = {};
  if (response.id) header['id'] = response.id;
  header['model_name'] = response.model_name;
  header['model_version'] = response.model_version;
  const params = Object.entries(response.parameters)
    .map(([k, p]) => [k, jsonParameter(p as Record<string, unknown>)] as const)
    .filter(([, v]) => v !== undefined);
  if (params.length) header['parameters'] = Object.fromEntries(params) as JsonObject;
  const binary: Buffer[] = [];
  header['outputs'] = response.outputs.map((o, i) => {
    const data = response.raw_output_contents[i] ?? Buffer.alloc(0);
    const out: JsonObject = { name: o.name, datatype: o.datatype, shape: o.shape };
    const kind =
      'shared_memory_region' in o.parameters ? 'shm' : (request.outputKinds.get(o.name) ?? request.defaultKind);
    if (kind === 'binary') {
      out['parameters'] = { binary_data_size: data.byteLength };
      if (data.byteLength > 0) binary.push(data);
    } else if (kind === 'json') {
      const elements = o.shape.reduce((a, b) => a * b, 1);
      out['data'] = tensorBytesToJson(o.name, o.datatype, data, elements);
    }
    return out;
  });
  const json = Buffer.from(stringifyJson(header), 'utf8');
  return binary.length ? { parts: [json, ...binary], headerLength: json.byteLength } : { parts: [json] };
}
