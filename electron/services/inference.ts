/**
 * Inference relay: renderer tensors (raw bytes) -> TritonClient.infer -> output tensors (raw bytes),
 * with a timing breakdown measured here. Bytes are passed through without copies or conversion:
 * the renderer already produced Triton's raw little-endian layout (shared/preprocess).
 */
import { ApiError, DATATYPES, type Datatype, type InferResponse, type ParsedRequest } from '../../shared/contract';
import type { ConnectionManager } from './connections';
import { num, pick } from './normalize';

const DATATYPE_SET = new Set<string>(DATATYPES);

export class InferenceRelay {
  constructor(private readonly connections: ConnectionManager) {}

  async infer(req: ParsedRequest<'infer'>): Promise<InferResponse> {
    const t0 = performance.now();
    const client = await this.connections.client(req.connectionId);
    const request = {
      model: req.model,
      version: req.version,
      id: req.id,
      inputs: req.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: t.data })),
      outputs: req.outputs,
    };
    const t1 = performance.now();
    const raw = await client.infer(request);
    const t2 = performance.now();
    const outputs = toOutputs(raw);
    const t3 = performance.now();
    return {
      id: req.id,
      model: String(pick(raw, 'model') ?? pick(raw, 'model_name') ?? req.model),
      version: String(pick(raw, 'version') ?? pick(raw, 'model_version') ?? req.version ?? ''),
      outputs,
      timing: { encodeMs: t1 - t0, rpcMs: t2 - t1, decodeMs: t3 - t2, totalMs: t3 - t0 },
    };
  }
}

function toOutputs(raw: unknown): InferResponse['outputs'] {
  const outs = pick(raw, 'outputs');
  if (!Array.isArray(outs)) throw new ApiError('INTERNAL', 'inference response has no outputs');
  const rawContents = pick(raw, 'raw_output_contents');
  return outs.map((o, i) => {
    const datatype = String(pick(o, 'datatype'));
    if (!DATATYPE_SET.has(datatype))
      throw new ApiError('INTERNAL', `output '${String(pick(o, 'name'))}' has unknown datatype '${datatype}'`);
    let data = pick(o, 'data');
    if (!(data instanceof Uint8Array) && Array.isArray(rawContents)) data = rawContents[i];
    if (!(data instanceof Uint8Array))
      throw new ApiError('INTERNAL', `output '${String(pick(o, 'name'))}' carries no raw bytes`);
    return {
      name: String(pick(o, 'name')),
      datatype: datatype as Datatype,
      shape: (pick(o, 'shape') as unknown[]).map(num),
      data: exactBytes(data),
    };
  });
}

/**
 * gRPC hands us Buffers that are slices of a larger receive buffer. Structured clone (Electron IPC)
 * would copy that whole buffer, and a view at an odd offset cannot back a Float32Array in the
 * renderer, so slices are copied once into their own ArrayBuffer (cheap next to the RPC itself).
 */
function exactBytes(data: Uint8Array): Uint8Array {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && !(data instanceof Buffer)) return data;
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy;
}
