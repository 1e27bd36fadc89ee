/**
 * Inference relay: renderer tensors (raw bytes) -> TritonClient.infer -> output tensors (raw bytes),
 * with a timing breakdown measured here. Tensors are passed through without copies or conversion:
 * the renderer already produced Triton's raw little-endian layout (shared/preprocess). An image
 * sent as 8-bit planes is widened here into a pooled tensor the client sends without copying.
 */
import type { InferResponse, ParsedRequest } from '../../shared/contract';
import type { ConnectionManager } from './connections';
import { ImageInputPool } from './imageInputs';
import { inferOutputsFromClient } from './mappers';

export class InferenceRelay {
  private readonly images = new ImageInputPool();

  constructor(
    private readonly connections: ConnectionManager,
    /** Outputs in buffers of their own: what Electron IPC needs (see mappers' exactBytes). */
    private readonly ownOutputBuffers = true,
  ) {}

  async infer(req: ParsedRequest<'infer'>): Promise<InferResponse> {
    const t0 = performance.now();
    const client = await this.connections.client(req.connectionId);
    const image = req.image ? this.images.take(client, req.image) : null;
    const request = {
      model: req.model,
      version: req.version,
      id: req.id,
      inputs: [
        ...req.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: t.data })),
        ...(image ? [image.tensor] : []),
      ],
      outputs: req.outputs,
    };
    const t1 = performance.now();
    let raw;
    try {
      raw = await client.infer(request);
    } finally {
      image?.release();
    }
    const t2 = performance.now();
    const outputs = inferOutputsFromClient(raw, { ownBuffers: this.ownOutputBuffers });
    const t3 = performance.now();
    return {
      id: req.id,
      model: raw.model || req.model,
      version: raw.version || (req.version ?? ''),
      outputs,
      timing: { encodeMs: t1 - t0, rpcMs: t2 - t1, decodeMs: t3 - t2, totalMs: t3 - t0 },
    };
  }
}
