/**
 * One inference from decoded request to response message: version parsing, model lookup,
 * validation, execution, outputs. Shared by ModelInfer and ModelStreamInfer.
 */
import type { ModelManager } from './modelManager';
import type { SharedMemoryManager } from './sharedMemory';
import { prepareInferRequest, type DecodedInferRequest } from './inferRequest';
import { buildInferResponse, type InferResponseMessage } from './inferResponse';
import { parseVersionString } from './versionString';
import { invalidArg, unsupported } from './tritonError';
import { SequenceTracker } from './sequences';
import { configToWire, wireElementSize } from './dtypes';
import type { ServerModelConfig } from './modelConfig';

/**
 * A raw HTTP body as the model's one input (Triton's InferenceRequest::Normalize for a raw input):
 * the name and type from the configuration, the shape from its dims (with a batch of 1 for a
 * batching model) and at most one variable dimension taken from the byte size.
 */
function rawInputOf(model: string, config: ServerModelConfig, data: Buffer): Partial<DecodedInferRequest> {
  const inputs = config.input ?? [];
  if (inputs.length !== 1) {
    throw invalidArg(
      `[request id: <id_unknown>] Raw request must only have 1 input (found 1) to be deduced but got ${inputs.length} inputs in '${model}' model configuration`,
    );
  }
  const input = inputs[0];
  const dims = (input.dims ?? []).map(Number);
  const shape = (config.max_batch_size ?? 0) !== 0 ? [1, ...dims] : [...dims];
  const variable = shape.reduce((at, d, i) => (d === -1 ? [...at, i] : at), [] as number[]);
  if (variable.length > 1) {
    throw invalidArg(
      `[request id: <id_unknown>] The shape of the raw input '${input.name}' can not be deduced because there are more than one variable-sized dimension`,
    );
  }
  const datatype = configToWire(input.data_type);
  let contents = data;
  if (datatype === 'BYTES') {
    if (variable.length > 0 || dims.reduce((a, b) => a * b, 1) !== 1) {
      throw invalidArg(
        `[request id: <id_unknown>] For BYTE datatype raw input '${input.name}', the model must have input shape [1]`,
      );
    }
    // Triton's convention: the element's byte length first.
    const length = Buffer.alloc(4);
    length.writeUInt32LE(data.byteLength);
    contents = Buffer.concat([length, data]);
  } else if (variable.length === 1) {
    const fixed = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    shape[variable[0]] = Math.floor(data.byteLength / fixed / (wireElementSize(datatype) ?? 1));
  }
  return { inputs: [{ name: input.name ?? '', datatype, shape }], raw_input_contents: [contents] };
}

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
  if (req.raw_input) req = { ...req, ...rawInputOf(rec.name, config, req.raw_input) };
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
