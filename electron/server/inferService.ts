/**
 * One inference from decoded request to response message: version parsing, model lookup,
 * validation, execution, outputs. Shared by ModelInfer and ModelStreamInfer.
 */
import type { ModelManager } from './modelManager';
import type { SharedMemoryManager } from './sharedMemory';
import { prepareInferRequest, type DecodedInferRequest } from './inferRequest';
import { buildInferResponse, type InferResponseMessage } from './inferResponse';
import { parseVersionString } from './versionString';
import { unsupported } from './tritonError';
import { SequenceTracker } from './sequences';

export async function runInference(
  manager: ModelManager,
  shm: SharedMemoryManager,
  req: DecodedInferRequest,
  mode: 'unary' | 'stream',
): Promise<InferResponseMessage> {
  const version = parseVersionString(req.model_version ?? '');
  const { rec, vrec, config } = manager.getReady(req.model_name ?? '', version);
  if (mode === 'unary' && config.model_transaction_policy?.decoupled) {
    throw unsupported("ModelInfer RPC doesn't support models with decoupled transaction policy");
  }
  const prepared = prepareInferRequest({ ...req, model_name: req.model_name ?? '', id: req.id ?? '' }, config, shm);
  const sequencing = config.sequence_batching;
  if (sequencing && !sequencing['iterative_sequence']) {
    vrec.sequences ??= new SequenceTracker(Number(sequencing.max_sequence_idle_microseconds ?? 1_000_000));
    vrec.sequences.check(rec.name, req.parameters ?? {}, prepared.batchSize);
  }
  const result = await manager.execute(
    vrec,
    prepared.inputs,
    prepared.outputs.map((o) => o.name),
    prepared.batchSize,
  );
  const response = buildInferResponse({
    model: rec.name,
    version: vrec.version,
    id: prepared.id,
    requested: prepared.outputs,
    produced: result.outputs,
    config,
    modelDir: rec.polled?.modelDir,
    batchSize: prepared.batchSize,
    shm,
  });
  if (mode === 'stream') response.parameters.triton_final_response = { bool_param: true };
  return response;
}
