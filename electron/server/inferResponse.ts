/**
 * Builds a ModelInferResponse from executed outputs (PROTOCOL.md §4.5): exactly the requested
 * outputs (or all), one raw_output_contents entry per output (empty when written to shared
 * memory), optional top-k classification as BYTES "<value>:<index>[:<label>]".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { internal } from './tritonError';
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

function readElements(t: WireTensor): number[] {
  const d = t.data;
  const n = (size: number) => d.byteLength / size;
  const out: number[] = [];
  switch (t.datatype) {
    case 'FP32':
      for (let i = 0; i < n(4); i++) out.push(d.readFloatLE(i * 4));
      break;
    case 'FP64':
      for (let i = 0; i < n(8); i++) out.push(d.readDoubleLE(i * 8));
      break;
    case 'FP16':
      for (let i = 0; i < n(2); i++) out.push(halfToFloat(d.readUInt16LE(i * 2)));
      break;
    case 'BF16':
      for (let i = 0; i < n(2); i++) {
        const b = Buffer.alloc(4);
        b.writeUInt16LE(d.readUInt16LE(i * 2), 2);
        out.push(b.readFloatLE(0));
      }
      break;
    case 'INT8':
      for (let i = 0; i < n(1); i++) out.push(d.readInt8(i));
      break;
    case 'UINT8':
    case 'BOOL':
      for (let i = 0; i < n(1); i++) out.push(d.readUInt8(i));
      break;
    case 'INT16':
      for (let i = 0; i < n(2); i++) out.push(d.readInt16LE(i * 2));
      break;
    case 'UINT16':
      for (let i = 0; i < n(2); i++) out.push(d.readUInt16LE(i * 2));
      break;
    case 'INT32':
      for (let i = 0; i < n(4); i++) out.push(d.readInt32LE(i * 4));
      break;
    case 'UINT32':
      for (let i = 0; i < n(4); i++) out.push(d.readUInt32LE(i * 4));
      break;
    case 'INT64':
      for (let i = 0; i < n(8); i++) out.push(Number(d.readBigInt64LE(i * 8)));
      break;
    case 'UINT64':
      for (let i = 0; i < n(8); i++) out.push(Number(d.readBigUInt64LE(i * 8)));
      break;
    default:
      throw internal(`classification is not supported for ${t.datatype} output '${t.name}'`);
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
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
    slice.sort((a, b2) => b2.v - a.v || a.i - b2.i);
    for (const { v, i } of slice.slice(0, take)) {
      const label = labels?.[i];
      items.push(label ? `${v.toFixed(6)}:${i}:${label}` : `${v.toFixed(6)}:${i}`);
    }
  }
  return { name: t.name, datatype: 'BYTES', shape: batched ? [batch, take] : [take], data: encodeBytesTensor(items) };
}
