/**
 * Turns a decoded ModelInferRequest into validated input tensors, in Triton's order with Triton's
 * texts (PROTOCOL.md §4.1, §4.2, §4.4): request parameters, duplicate inputs/outputs, data
 * sources (shared memory / typed `contents` / `raw_input_contents`), output parameters, requested
 * outputs, input count, unknown inputs, batch dimension, datatype, shape, byte size.
 */
import { configToWire, isKnownWire, wireElementSize } from './dtypes';
import { invalidArg } from './tritonError';
import type { ServerModelConfig } from './modelConfig';
import type { SharedMemoryManager } from './sharedMemory';
import type { WireTensor } from './backends/types';

/** InferParameter as @grpc/proto-loader decodes it (oneofs: true, longs: String). */
export interface DecodedParam {
  parameter_choice?: string;
  bool_param?: boolean;
  int64_param?: string | number;
  string_param?: string;
  double_param?: number;
  uint64_param?: string | number;
}

interface DecodedContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: Array<string | number>;
  uint_contents?: number[];
  uint64_contents?: Array<string | number>;
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

export interface DecodedInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: Record<string, DecodedParam>;
  inputs?: Array<{
    name: string;
    datatype: string;
    shape: Array<string | number>;
    parameters?: Record<string, DecodedParam>;
    contents?: DecodedContents | null;
  }>;
  outputs?: Array<{ name: string; parameters?: Record<string, DecodedParam> }>;
  raw_input_contents?: Buffer[];
  /**
   * HTTP only: a body without a JSON header (Inference-Header-Content-Length: 0) is the data of the
   * model's one input, whose name, type and shape come from the model configuration.
   */
  raw_input?: Buffer;
}

export interface ShmRef {
  region: string;
  offset: number;
  byteSize: number;
}

export interface RequestedOutput {
  name: string;
  shm?: ShmRef;
  classification?: number;
}

export interface PreparedRequest {
  id: string;
  inputs: WireTensor[];
  outputs: RequestedOutput[];
  batchSize: number;
  enableEmptyFinalResponse: boolean;
}

const choice = (p: DecodedParam | undefined) => p?.parameter_choice ?? '';

export function prepareInferRequest(
  req: DecodedInferRequest,
  config: ServerModelConfig,
  shm: SharedMemoryManager,
): PreparedRequest {
  const model = req.model_name;
  // Triton's core (InferenceRequest::LogRequest) starts its request errors with this.
  const logPrefix = `[request id: ${req.id || '<id_unknown>'}] `;

  // 3. request parameters
  let enableEmptyFinalResponse = false;
  for (const [key, p] of Object.entries(req.parameters ?? {})) {
    const c = choice(p);
    if (key === 'sequence_id') {
      if (c !== 'int64_param' && c !== 'string_param')
        throw invalidArg("invalid value type for 'sequence_id' parameter, expected int64_param or string_param.");
    } else if (key === 'sequence_start' || key === 'sequence_end') {
      if (c !== 'bool_param') throw invalidArg(`invalid value type for '${key}' parameter, expected bool_param.`);
    } else if (key === 'priority') {
      if (c !== 'int64_param' && c !== 'uint64_param')
        throw invalidArg("invalid value type for 'priority' parameter, expected int64_param or uint64_param.");
      if (c === 'int64_param' && BigInt(String(p.int64_param)) < 0n)
        throw invalidArg("invalid value for 'priority', expected value >= 0.");
    } else if (key === 'timeout') {
      if (c !== 'int64_param') throw invalidArg("invalid value type for 'timeout' parameter, expected int64_param.");
    } else if (key.startsWith('triton_')) {
      if (key !== 'triton_enable_empty_final_response') {
        throw invalidArg(
          "parameter keys starting with 'triton_' are reserved for Triton usage. Only the following keys starting with 'triton_' are allowed: triton_enable_empty_final_response",
        );
      }
      if (c !== 'bool_param') throw invalidArg(`invalid value type for '${key}' parameter, expected bool_param.`);
      enableEmptyFinalResponse = p.bool_param === true;
    } else if (c !== 'int64_param' && c !== 'bool_param' && c !== 'string_param' && c !== 'double_param') {
      throw invalidArg(`invalid value type for '${key}' parameter, expected int64_param, bool_param, or string_param.`);
    }
  }
  const reqInputs = req.inputs ?? [];
  const reqOutputs = req.outputs ?? [];
  const seenInputs = new Set<string>();
  for (const input of reqInputs) {
    if (seenInputs.has(input.name)) throw invalidArg(`${logPrefix}input '${input.name}' already exists in request`);
    seenInputs.add(input.name);
  }
  const seenOutputs = new Set<string>();
  for (const output of reqOutputs) {
    if (seenOutputs.has(output.name)) throw invalidArg(`${logPrefix}output '${output.name}' already exists in request`);
    seenOutputs.add(output.name);
  }

  // 4. data sources, then output shared-memory / classification parameters
  const raw = req.raw_input_contents ?? [];
  let rawIndex = 0;
  const data = new Map<string, Buffer>();
  for (const input of reqInputs) {
    const ref = parseShmParams(input.name, input.parameters);
    if (ref) {
      if (input.contents) {
        throw invalidArg(
          `unexpected 'content' provided when using shared memory for input tensor '${input.name}' for model '${model}'`,
        );
      }
      data.set(input.name, shm.read(ref.region, ref.offset, ref.byteSize));
    } else if (input.contents && raw.length > 0) {
      throw invalidArg(
        `contents field must not be specified when using raw_input_contents for '${input.name}' for model '${model}'`,
      );
    } else if (input.contents) {
      data.set(input.name, serializeContents(input.name, model, input.datatype, input.contents));
    } else if (rawIndex < raw.length) {
      data.set(input.name, raw[rawIndex++]);
    } else {
      throw invalidArg(`unable to find data for input tensor '${input.name}' for model '${model}' in request.`);
    }
  }
  const outputs: RequestedOutput[] = [];
  for (const output of reqOutputs) {
    const ref = parseShmParams(output.name, output.parameters);
    const classification = parseClassification(output.parameters);
    if (ref && classification !== undefined)
      throw invalidArg("output can't set both 'shared_memory_region' and 'classification'");
    if (ref) shm.check(ref.region, ref.offset, ref.byteSize);
    outputs.push({ name: output.name, shm: ref, classification });
  }

  // 5. requested outputs must exist
  const configOutputs = config.output ?? [];
  for (const output of outputs) {
    if (!configOutputs.some((o) => o.name === output.name)) {
      throw invalidArg(`unexpected inference output '${output.name}' for model '${model}'`);
    }
  }
  const requested = outputs.length > 0 ? outputs : configOutputs.map((o) => ({ name: o.name }));

  // 6. input count, 7. unknown inputs
  const configInputs = config.input ?? [];
  const required = configInputs.filter((i) => !i.optional);
  const missingRequired = required.filter((i) => !seenInputs.has(i.name));
  const countError = () => {
    // Triton builds these lists with a trailing-comma pop_back(), so an empty list prints as "]".
    const list = (names: string[]) => (names.length === 0 ? ']' : `[${names.map((n) => `'${n}'`).join(',')}]`);
    const got = reqInputs.length === 0 ? '[]' : list(reqInputs.map((i) => i.name));
    const missing = list(missingRequired.map((i) => i.name));
    const tail = `inputs for model '${model}'. Got input(s) ${got}, but missing required input(s) ${missing}. Please provide all required input(s).`;
    if (configInputs.length === required.length) {
      return invalidArg(`${logPrefix}expected ${configInputs.length} inputs but got ${reqInputs.length} ${tail}`);
    }
    return invalidArg(
      `${logPrefix}expected number of inputs between ${required.length} and ${configInputs.length} but got ${reqInputs.length} ${tail}`,
    );
  };
  if (reqInputs.length > configInputs.length || reqInputs.length < required.length) throw countError();
  for (const input of reqInputs) {
    if (!configInputs.some((i) => i.name === input.name)) {
      throw invalidArg(`unexpected inference input '${input.name}' for model '${model}'`);
    }
  }
  if (missingRequired.length > 0) throw countError();

  // 8. batch dimension
  const mbs = config.max_batch_size ?? 0;
  const shapes = new Map(reqInputs.map((i) => [i.name, i.shape.map(Number)]));
  let batchSize = 1;
  if (mbs > 0) {
    let batch = 0;
    for (const input of reqInputs) {
      const cfg = configInputs.find((i) => i.name === input.name)!;
      if (cfg.is_shape_tensor) continue;
      const shape = shapes.get(input.name)!;
      if (shape.length === 0)
        throw invalidArg(
          `${logPrefix}input '${input.name}' has no shape but model requires batch dimension for '${model}'`,
        );
      if (batch === 0) batch = shape[0];
      else if (shape[0] !== batch)
        throw invalidArg(`${logPrefix}input '${input.name}' batch size does not match other inputs for '${model}'`);
    }
    if (batch > mbs) throw invalidArg(`${logPrefix}inference request batch-size must be <= ${mbs} for '${model}'`);
    batchSize = batch;
  }

  // 9. datatype and shape, 10. byte size
  const tensors: WireTensor[] = [];
  for (const input of reqInputs) {
    const cfg = configInputs.find((i) => i.name === input.name)!;
    const requestType = isKnownWire(input.datatype) ? input.datatype : '<invalid>';
    const expectedType = configToWire(cfg.data_type);
    if (requestType !== expectedType) {
      throw invalidArg(
        `${logPrefix}inference input '${input.name}' data-type is '${requestType}', but model '${model}' expects '${expectedType}'`,
      );
    }
    const fullShape = shapes.get(input.name)!;
    const shape = mbs > 0 && !cfg.is_shape_tensor ? fullShape.slice(1) : fullShape;
    const dims = cfg.dims ?? [];
    let match = dims.length === shape.length;
    if (match) {
      for (let i = 0; i < dims.length; i++) {
        if (shape[i] === -1) {
          throw invalidArg(
            `${logPrefix}All input dimensions should be specified for input '${input.name}' for model '${model}', got ${dimsText(fullShape)}`,
          );
        }
        if (dims[i] !== -1 && dims[i] !== shape[i]) {
          match = false;
          break;
        }
      }
    }
    if (!match) {
      const expected = mbs > 0 ? [-1, ...dims] : dims;
      const note =
        mbs > 0
          ? 'NOTE: Setting a non-zero max_batch_size in the model config requires a batch dimension to be prepended to each input shape. If you want to specify the full shape including the batch dim in your input dims config, try setting max_batch_size to zero. See the model configuration docs for more info on max_batch_size.'
          : '';
      throw invalidArg(
        `${logPrefix}unexpected shape for input '${input.name}' for model '${model}'. Expected ${dimsText(expected)}, got ${dimsText(fullShape)}. ${note}`,
      );
    }
    const bytes = data.get(input.name)!;
    // Triton's GetByteSize / GetElementCount: a dimension below the wildcard is invalid (it must
    // not reach the backend, whose own error would be INTERNAL).
    if (fullShape.some((d) => !Number.isSafeInteger(d) || d < -1)) {
      const what = requestType === 'BYTES' ? 'in shape ' : '';
      throw invalidArg(`tensor '${input.name}' contains an invalid dimension ${what}${dimsText(fullShape)}`);
    }
    const elements = fullShape.reduce((a, b) => a * b, 1);
    if (requestType === 'BYTES') {
      validateBytesInput(input.name, model, bytes, elements, logPrefix);
    } else {
      const expectedBytes = elements * wireElementSize(requestType)!;
      if (bytes.byteLength !== expectedBytes) {
        throw invalidArg(
          `${logPrefix}input byte size mismatch for input '${input.name}' for model '${model}'. Expected ${expectedBytes}, got ${bytes.byteLength}`,
        );
      }
    }
    tensors.push({ name: input.name, datatype: requestType, shape: fullShape, data: bytes });
  }
  return { id: req.id, inputs: tensors, outputs: requested, batchSize, enableEmptyFinalResponse };
}

const dimsText = (dims: number[]) => `[${dims.join(',')}]`;

function parseShmParams(tensor: string, params: Record<string, DecodedParam> | undefined): ShmRef | undefined {
  const p = params ?? {};
  const region = p.shared_memory_region;
  if (region && choice(region) !== 'string_param') {
    throw invalidArg(
      `invalid value type for 'shared_memory_region' parameter for tensor '${tensor}', expected string_param.`,
    );
  }
  let offset = 0;
  if (p.shared_memory_offset) {
    if (!region)
      throw invalidArg(
        `'shared_memory_offset' can not be specified without 'shared_memory_region' parameter for tensor '${tensor}'`,
      );
    if (choice(p.shared_memory_offset) !== 'int64_param') {
      throw invalidArg(
        `invalid value type for 'shared_memory_offset' parameter for tensor '${tensor}', expected int64_param.`,
      );
    }
    offset = Number(p.shared_memory_offset.int64_param);
  }
  let byteSize = 0;
  if (p.shared_memory_byte_size) {
    if (!region)
      throw invalidArg(
        `'shared_memory_byte_size' can not be specified without 'shared_memory_region' parameter for tensor '${tensor}'`,
      );
    if (choice(p.shared_memory_byte_size) !== 'int64_param') {
      throw invalidArg(
        `invalid value type for 'shared_memory_byte_size' parameter for tensor '${tensor}', expected int64_param.`,
      );
    }
    byteSize = Number(p.shared_memory_byte_size.int64_param);
  } else if (region) {
    throw invalidArg(
      `'shared_memory_byte_size' must be specified along with 'shared_memory_region' parameter for tensor '${tensor}'`,
    );
  }
  return region ? { region: region.string_param ?? '', offset, byteSize } : undefined;
}

function parseClassification(params: Record<string, DecodedParam> | undefined): number | undefined {
  const p = params?.classification;
  if (!p) return undefined;
  if (choice(p) !== 'int64_param')
    throw invalidArg("invalid value type for 'classification' parameter, expected int64_param.");
  const k = Number(p.int64_param);
  if (k < 0) throw invalidArg("invalid value for 'classification' parameter, expected >= 0.");
  return k;
}

/**
 * int_contents/uint_contents carry 8-, 16- and 32-bit values in one 32-bit field: each value is
 * cut to the declared width (two's complement wrap, like Triton's C++ cast), little-endian.
 */
function narrowIntBytes(values: number[], width: number, signed: boolean): Buffer {
  const shift = 32 - 8 * width;
  const buf = Buffer.alloc(values.length * width);
  values.forEach((v, i) => {
    if (signed) buf.writeIntLE((v << shift) >> shift, i * width, width);
    else buf.writeUIntLE((v << shift) >>> shift, i * width, width);
  });
  return buf;
}

/** int64_contents/uint64_contents, little-endian; a value outside the type's range throws (RangeError). */
function int64Bytes(values: Array<string | number>, signed: boolean): Buffer {
  const buf = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => (signed ? buf.writeBigInt64LE(BigInt(v), i * 8) : buf.writeBigUInt64LE(BigInt(v), i * 8)));
  return buf;
}

/** Typed `contents` to raw little-endian bytes, with Triton's per-field datatype checks. */
function serializeContents(name: string, model: string, datatype: string, contents: DecodedContents): Buffer {
  let out: Buffer | undefined;
  const claim = (contentType: string) => {
    if (out !== undefined && out.byteLength !== 0) {
      throw invalidArg(
        `unexpected explicit tensor data for input tensor '${name}' for model '${model}', binary data was already supplied.`,
      );
    }
    const declared = isKnownWire(datatype) ? datatype : '<invalid>';
    if (contentType !== declared) {
      throw invalidArg(
        `unexpected explicit tensor data for input tensor '${name}' for model '${model}' of type '${contentType}', expected datatype '${declared}'`,
      );
    }
  };
  const c = contents;
  if (c.bool_contents?.length) {
    claim('BOOL');
    out = Buffer.from(c.bool_contents.map((b) => (b ? 1 : 0)));
  }
  if (c.int_contents?.length) {
    const t = datatype === 'INT8' ? 'INT8' : datatype === 'INT16' ? 'INT16' : 'INT32';
    claim(t);
    out = narrowIntBytes(c.int_contents, wireElementSize(t)!, true);
  }
  if (c.int64_contents?.length) {
    claim('INT64');
    out = int64Bytes(c.int64_contents, true);
  }
  if (c.uint_contents?.length) {
    const t = datatype === 'UINT8' ? 'UINT8' : datatype === 'UINT16' ? 'UINT16' : 'UINT32';
    claim(t);
    out = narrowIntBytes(c.uint_contents, wireElementSize(t)!, false);
  }
  if (c.uint64_contents?.length) {
    claim('UINT64');
    out = int64Bytes(c.uint64_contents, false);
  }
  if (c.fp32_contents?.length) {
    claim('FP32');
    out = Buffer.from(new Float32Array(c.fp32_contents).buffer);
  }
  if (c.fp64_contents?.length) {
    claim('FP64');
    out = Buffer.from(new Float64Array(c.fp64_contents).buffer);
  }
  if (c.bytes_contents?.length) {
    claim('BYTES');
    const parts: Buffer[] = [];
    for (const item of c.bytes_contents) {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(item.byteLength, 0);
      parts.push(len, item);
    }
    out = Buffer.concat(parts);
  }
  // An empty `contents` message (e.g. for FP16, which has no typed field) yields zero bytes.
  return out ?? Buffer.alloc(0);
}

function validateBytesInput(name: string, model: string, data: Buffer, expected: number, logPrefix: string): void {
  let offset = 0;
  let count = 0;
  while (offset < data.byteLength) {
    if (count >= expected) {
      throw invalidArg(
        `${logPrefix}unexpected number of string elements ${count + 1} for inference input '${name}' for model '${model}', expecting ${expected}`,
      );
    }
    const remaining = data.byteLength - offset;
    if (remaining < 4) {
      throw invalidArg(
        `${logPrefix}incomplete string length indicator for inference input '${name}' for model '${model}', expecting 4 bytes but only ${remaining} bytes available. Please make sure the string length indicator is in one buffer.`,
      );
    }
    const len = data.readUInt32LE(offset);
    offset += 4;
    if (data.byteLength - offset < len) {
      throw invalidArg(
        `incomplete string for inference input '${name}' for model '${model}', expecting string of length ${len} but only ${data.byteLength - offset} bytes available`,
      );
    }
    offset += len;
    count++;
  }
  if (count !== expected) {
    throw invalidArg(
      `${logPrefix}expected ${expected} string elements for inference input '${name}' for model '${model}', got ${count}`,
    );
  }
}
