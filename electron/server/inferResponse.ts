/**
 * Builds a ModelInferResponse from executed outputs (PROTOCOL.md §4.5): exactly the requested
 * outputs (or all), one raw_output_contents entry per output (empty when written to shared
 * memory), optional top-k classification as BYTES "<value>:<index>[:<label>]".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { internal, invalidArg } from './tritonError';
import type { WireTensor } from './backends/types';
import type { RequestedOutput } from './inferRequest';
import type { SharedMemoryManager } from './sharedMemory';
import type { ServerModelConfig } from './modelConfig';
import { encodeBytesTensor } from './backends/onnxRunner';

export interface InferResponseMessage {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, unknown>;
  outputs: Array<{ name: string; datatype: string; shape: number[]; parameters: Record<string, unknown> }>;
  raw_output_contents: Buffer[];
}

export function buildInferResponse(args: {
  model: string;
  version: number;
  id: string;
  requested: RequestedOutput[];
  produced: WireTensor[];
  config: ServerModelConfig;
  modelDir?: string;
  batchSize: number;
  shm: SharedMemoryManager;
}): InferResponseMessage {
  const response: InferResponseMessage = {
    model_name: args.model,
    model_version: String(args.version),
    id: args.id,
    parameters: {},
    outputs: [],
    raw_output_contents: [],
  };
  for (const req of args.requested) {
    let tensor = args.produced.find((t) => t.name === req.name);
    if (!tensor) throw internal(`output '${req.name}' was not produced by model '${args.model}'`);
    if (req.classification !== undefined && req.classification > 0) {
      tensor = classify(
        tensor,
        req.classification,
        (args.config.max_batch_size ?? 0) > 0,
        labelsFor(args.config, req.name, args.modelDir),
      );
    }
    if (req.shm) {
      if (req.shm.byteSize < tensor.data.byteLength) {
        throw internal(
          `shared memory size specified with the request for output '${req.name}' (${req.shm.byteSize} bytes) should be at least ${tensor.data.byteLength} bytes to hold the results`,
        );
      }
      args.shm.write(req.shm.region, req.shm.offset, tensor.data);
      response.outputs.push({
        name: tensor.name,
        datatype: tensor.datatype,
        shape: tensor.shape,
        parameters: {
          shared_memory_region: { string_param: req.shm.region },
          shared_memory_byte_size: { int64_param: tensor.data.byteLength },
          ...(req.shm.offset ? { shared_memory_offset: { int64_param: req.shm.offset } } : {}),
        },
      });
      response.raw_output_contents.push(Buffer.alloc(0));
    } else {
      response.outputs.push({ name: tensor.name, datatype: tensor.datatype, shape: tensor.shape, parameters: {} });
      response.raw_output_contents.push(tensor.data);
    }
  }
  return response;
}

function labelsFor(config: ServerModelConfig, output: string, modelDir: string | undefined): string[] | undefined {
  const file = (config.output ?? []).find((o) => o.name === output)?.label_filename;
  if (!file || !modelDir) return undefined;
  try {
    return readFileSync(join(modelDir, file), 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

/** A classification value: its order key and its text as C++'s std::to_string writes it. */
interface ClassValue {
  key: number | bigint;
  text: string;
}

/** std::to_string of a float or double: printf("%f"), "inf" / "-inf" / "nan" for the rest. */
function floatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  // toFixed is exact below 1e21; above, a double is an integer, which BigInt writes exactly.
  let text = Math.abs(v) < 1e21 ? Math.abs(v).toFixed(6) : `${BigInt(Math.abs(v))}.000000`;
  // An exact tie (0.5078125 = 65/128) rounds to even in printf, up in toFixed.
  if (Math.abs(v) < 1e21 && isTieAtSixDecimals(v)) {
    const up = BigInt(text.replace('.', ''));
    if (up % 2n === 1n) {
      const even = (up - 1n).toString().padStart(7, '0');
      text = `${even.slice(0, -6)}.${even.slice(-6)}`;
    }
  }
  return v < 0 || Object.is(v, -0) ? `-${text}` : text;
}

/** Whether v lies exactly halfway between two multiples of 1e-6 (v * 2e6 an odd integer, exactly). */
function isTieAtSixDecimals(v: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) return false; // an integer: v * 2e6 is even
  const scaled = mantissa * 2_000_000n;
  const divisor = 1n << BigInt(-exponent);
  return scaled % divisor === 0n && (scaled / divisor) % 2n === 1n;
}

/** Every class with its value, for Triton's element types (classification.cc TopkClassifications). */
function readElements(t: WireTensor): ClassValue[] {
  const d = t.data;
  const count = (size: number) => Math.floor(d.byteLength / size);
  const read = (size: number, at: (offset: number) => number | bigint, isFloat = false): ClassValue[] => {
    const n = count(size);
    // Triton refuses larger outputs (kMaxClassificationElements).
    if (n > 1_000_000) throw invalidArg('classification output tensor too large');
    const out: ClassValue[] = new Array<ClassValue>(n);
    for (let i = 0; i < n; i++) {
      const key = at(i * size);
      out[i] = { key, text: isFloat ? floatText(key as number) : String(key) };
    }
    return out;
  };
  switch (t.datatype) {
    case 'FP32':
      return read(4, (o) => d.readFloatLE(o), true);
    case 'FP64':
      return read(8, (o) => d.readDoubleLE(o), true);
    case 'INT8':
      return read(1, (o) => d.readInt8(o));
    case 'UINT8':
      return read(1, (o) => d.readUInt8(o));
    case 'INT16':
      return read(2, (o) => d.readInt16LE(o));
    case 'UINT16':
      return read(2, (o) => d.readUInt16LE(o));
    case 'INT32':
      return read(4, (o) => d.readInt32LE(o));
    case 'UINT32':
      return read(4, (o) => d.readUInt32LE(o));
    case 'INT64':
      return read(8, (o) => d.readBigInt64LE(o));
    case 'UINT64':
      return read(8, (o) => d.readBigUInt64LE(o));
    default:
      // FP16, BF16, BOOL and BYTES have no AddClassResults instance in Triton.
      throw invalidArg(`class result not available for output due to unsupported type '${t.datatype}'`);
  }
}

/** Top-k per batch item, each "<value %f>:<index>[:<label>]". */
function classify(t: WireTensor, k: number, batched: boolean, labels: string[] | undefined): WireTensor {
  const values = readElements(t);
  const batch = batched ? (t.shape[0] ?? 1) : 1;
  const per = batch > 0 ? values.length / batch : 0;
  const take = Math.min(k, per);
  const items: string[] = [];
  for (let b = 0; b < batch; b++) {
    const slice = values.slice(b * per, (b + 1) * per).map((v, i) => ({ v, i }));
    // Descending by value, ties by index (Triton's std::sort leaves ties in no set order).
    slice.sort((x, y) => (x.v.key < y.v.key ? 1 : x.v.key > y.v.key ? -1 : x.i - y.i));
    for (const { v, i } of slice.slice(0, take)) {
      const label = labels?.[i];
      items.push(label ? `${v.text}:${i}:${label}` : `${v.text}:${i}`);
    }
  }
  return { name: t.name, datatype: 'BYTES', shape: batched ? [batch, take] : [take], data: encodeBytesTensor(items) };
}
