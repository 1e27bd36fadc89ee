/**
 * KServe v2 infer requests and responses over HTTP with Triton's binary tensor data extension:
 *
 *   body = JSON header | input 0 bytes | input 1 bytes | …      Inference-Header-Content-Length: len(JSON)
 *
 * Each binary input says its size in `parameters.binary_data_size`; each output asked for with
 * `binary_data: true` (or all of them, with the request parameter `binary_data_output: true`)
 * comes back the same way after the response's JSON header. Tensor bytes are never turned into
 * JSON numbers unless the caller asks for 'json' encoding (for servers without the extension).
 */
import { parseTritonJson, stringifyTritonJson } from '../../../shared/tritonJson';
import { checkTensorData, decodeTensor, encodeTensor, type EncodableValues } from '../../../shared/tensor/codec';
import type { InferRequest, InferResponse, ParameterValue, RequestedOutput, ResponseParameterValue } from '../types';

export const HEADER_LENGTH = 'inference-header-content-length';

type JsonParam = boolean | number | string | bigint;

function jsonParameter(key: string, v: ParameterValue): JsonParam {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`parameter '${key}': ${v} cannot travel in JSON`);
    return v;
  }
  if (typeof v === 'bigint') return v;
  if (v && typeof v === 'object' && 'double' in v) return v.double;
  if (v && typeof v === 'object' && 'uint64' in v) return BigInt(v.uint64);
  throw new TypeError(`parameter '${key}': unsupported value ${String(v)}`);
}

function jsonParameters(params: Record<string, ParameterValue> | undefined): Record<string, JsonParam> {
  const out: Record<string, JsonParam> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = jsonParameter(k, v);
  return out;
}

const inSharedMemory = (params: Record<string, unknown> | undefined) =>
  Boolean(params && 'shared_memory_region' in params);

/** Element values of raw tensor bytes as JSON can carry them (BYTES as UTF-8 strings). */
function jsonValues(datatype: string, data: Uint8Array, what: string): unknown[] {
  if (datatype === 'FP16' || datatype === 'BF16')
    throw new TypeError(`${what}: ${datatype} cannot travel as JSON; use binary tensor encoding`);
  const values = decodeTensor(datatype, data, { what });
  if (datatype === 'BYTES') return (values as Uint8Array[]).map((b) => Buffer.from(b).toString('utf8'));
  return Array.from(values as ArrayLike<unknown>);
}

export interface EncodedInferRequest {
  /** JSON header first, then each binary input in order. */
  parts: Uint8Array[];
  /** Byte length of the JSON header, or null when the header is the whole body. */
  headerLength: number | null;
}

export function encodeHttpInferRequest(request: InferRequest, encoding: 'binary' | 'json'): EncodedInferRequest {
  if (!request || typeof request.model !== 'string' || !request.model)
    throw new TypeError('infer: request.model (model name) is required');
  if (!Array.isArray(request.inputs)) throw new TypeError(`infer '${request.model}': request.inputs must be an array`);
  const validate = request.validate !== false;
  const binary: Uint8Array[] = [];
  const inputs = request.inputs.map((t) => {
    const what = `input '${t.name}'`;
    const params: Record<string, JsonParam> = jsonParameters(t.parameters);
    if (inSharedMemory(t.parameters)) return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: params };
    if (!(t.data instanceof Uint8Array))
      throw new TypeError(`infer '${request.model}': ${what} data must be a Uint8Array of raw tensor bytes`);
    if (validate) checkTensorData(t.datatype, t.shape, t.data, what);
    if (encoding === 'json') {
      const tensor = { name: t.name, datatype: t.datatype, shape: t.shape, data: jsonValues(t.datatype, t.data, what) };
      return Object.keys(params).length ? { ...tensor, parameters: params } : tensor;
    }
    binary.push(t.data);
    return {
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      parameters: { ...params, binary_data_size: t.data.byteLength },
    };
  });
  const parameters = jsonParameters(request.parameters);
  const header: Record<string, unknown> = { inputs };
  if (request.id) header['id'] = request.id;
  if (request.outputs?.length) header['outputs'] = request.outputs.map((o) => requestedOutput(o, encoding));
  else if (encoding === 'binary') parameters['binary_data_output'] = true;
  if (Object.keys(parameters).length) header['parameters'] = parameters;
  // lossless-json writes bigint parameters as exact JSON integers (JSON.stringify cannot); NaN and
  // Infinity in JSON tensors go as Triton reads them (bare tokens), not as null.
  const json = Buffer.from(stringifyTritonJson(header), 'utf8');
  return { parts: [json, ...binary], headerLength: binary.length ? json.byteLength : null };
}

function requestedOutput(o: RequestedOutput, encoding: 'binary' | 'json') {
  const name = typeof o === 'string' ? o : o.name;
  const params = typeof o === 'string' ? {} : jsonParameters(o.parameters);
  // Triton refuses binary_data together with a shared-memory output (the bytes go to the region).
  if (!('binary_data' in params) && !('shared_memory_region' in params)) params['binary_data'] = encoding === 'binary';
  return { name, parameters: params };
}

interface ResponseOutput {
  name?: string;
  datatype?: string;
  shape?: number[];
  parameters?: Record<string, unknown>;
  data?: unknown;
}

interface ResponseHeader {
  model_name?: string;
  model_version?: string;
  id?: string;
  parameters?: Record<string, unknown>;
  outputs?: ResponseOutput[];
}

function flatten(data: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
  return out;
}

function responseParameters(params: Record<string, unknown> | undefined): Record<string, ResponseParameterValue> {
  const out: Record<string, ResponseParameterValue> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (k === 'binary_data_size') continue; // framing, not a parameter of the tensor
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') out[k] = v;
    else if (typeof v === 'bigint') out[k] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  }
  return out;
}

/**
 * Outputs with binary data become views into `body` (no copy); JSON `data` is encoded to raw
 * bytes, so callers see the same InferResponse as over gRPC.
 */
export function decodeHttpInferResponse(body: Buffer, headerLength: number | undefined): InferResponse {
  const jsonEnd = headerLength ?? body.byteLength;
  if (!Number.isSafeInteger(jsonEnd) || jsonEnd < 0 || jsonEnd > body.byteLength)
    throw new Error(`inference response header length ${headerLength} is outside the ${body.byteLength}-byte body`);
  // Exact 64-bit integers, and NaN/Infinity as Triton writes them (bare tokens).
  const header = parseTritonJson(body.subarray(0, jsonEnd).toString('utf8')) as ResponseHeader;
  let offset = jsonEnd;
  const outputs = (header.outputs ?? []).map((o) => {
    const name = o.name ?? '';
    const datatype = o.datatype ?? '';
    const shape = (o.shape ?? []).map(Number);
    const size = o.parameters?.['binary_data_size'];
    let data: Uint8Array;
    if (size !== undefined) {
      const n = Number(size);
      if (!Number.isSafeInteger(n) || n < 0 || offset + n > body.byteLength)
        throw new Error(`output '${name}': binary_data_size ${JSON.stringify(size)} runs past the end of the response`);
      data = body.subarray(offset, offset + n);
      offset += n;
    } else if (o.data !== undefined) {
      const values = flatten(o.data);
      data = encodeTensor(datatype, (datatype === 'BYTES' ? values.map(String) : values) as EncodableValues, {
        what: `output '${name}'`,
      });
    } else {
      data = new Uint8Array(0); // written to shared memory
    }
    return { name, datatype, shape, parameters: responseParameters(o.parameters), data };
  });
  return {
    model: header.model_name ?? '',
    version: header.model_version ?? '',
    id: header.id ?? '',
    parameters: responseParameters(header.parameters),
    outputs,
  };
}
