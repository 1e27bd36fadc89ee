/**
 * The checks Triton's ONNX Runtime backend makes when it loads a model (ValidateInputs /
 * ValidateOutputs, CompareDimsSupported): the configuration's inputs and outputs against the
 * model file's names, datatypes and dims, with the backend's wording. A pure function of the
 * session's I/O metadata, so it works wherever the session lives (main thread or a worker).
 */
import { configToWire, ortToWire, wireToOrt } from '../dtypes';
import { internal, invalidArg } from '../tritonError';
import type { ServerModelConfig, TensorConfig } from '../modelConfig';

/** One model input or output as onnxruntime reports it (symbolic dims as strings). */
export interface OnnxIoInfo {
  name: string;
  isTensor: boolean;
  /** onnxruntime-node's tensor type name ('float32', 'string', ...). */
  type: string;
  shape: ReadonlyArray<number | string>;
}

const shapeText = (dims: ReadonlyArray<number>) => `[${dims.join(',')}]`;

/** Throws the backend's error for the first disagreement between `config` and the model's I/O. */
export function checkOnnxIo(config: ServerModelConfig, inputs: OnnxIoInfo[], outputs: OnnxIoInfo[]): void {
  const model = config.name ?? '';
  const mbs = config.max_batch_size ?? 0;
  const configInputs = config.input ?? [];
  if (configInputs.length !== inputs.length) {
    throw invalidArg(
      `unable to load model '${model}', configuration expects ${configInputs.length} inputs, model provides ${inputs.length}`,
    );
  }
  for (const io of configInputs) {
    if (io.optional && mbs !== 0) {
      throw invalidArg(
        `unable to load model '${model}', optional input '${io.name}' is not supported for models that support batching`,
      );
    }
    checkTensor(model, mbs, 'input', io, inputs);
  }
  for (const io of config.output ?? []) checkTensor(model, mbs, 'output', io, outputs);
}

function checkTensor(
  model: string,
  mbs: number,
  kind: 'input' | 'output',
  io: TensorConfig,
  infos: OnnxIoInfo[],
): void {
  const info = infos.find((i) => i.name === io.name);
  if (!info) {
    // Triton lists the allowed names from a std::set, i.e. sorted.
    const allowed = infos.map((i) => i.name).sort();
    throw invalidArg(`unexpected inference ${kind} '${io.name}', allowed ${kind}s are: ${allowed.join(', ')}`);
  }
  if (!info.isTensor) throw invalidArg(`model '${model}', tensor '${io.name}': only tensor ${kind}s are supported`);
  const dtype = String(io.data_type ?? '');
  if (!wireToOrt(configToWire(dtype))) {
    throw internal(`unsupported datatype ${dtype} for ${kind} '${io.name}' for model '${model}'`);
  }
  const provided = ortToWire(info.type);
  if (provided !== configToWire(dtype)) {
    throw invalidArg(
      `unable to load model '${model}', configuration expects datatype ${dtype} for ${kind} '${io.name}', model provides TYPE_${provided ?? 'INVALID'}`,
    );
  }
  const dims = (io.reshape ? io.reshape.shape : io.dims) ?? [];
  const modelShape = info.shape.map((d) => (typeof d === 'number' ? d : -1));
  if (modelShape.length === 0) {
    // A scalar in the model: with no batching every configured dim must be 1.
    if (dims.some((d) => d !== 1)) {
      throw invalidArg(
        `unable to load model '${model}', scalar tensor '${io.name}', should only provide 1 in the model configuration when the model doesn't support batching. Model configuration provided: ${shapeText(dims)}.`,
      );
    }
    return;
  }
  compareDims(model, io.name, modelShape, dims, mbs, kind === 'output');
}

/** CompareDimsSupported: outputs must match exactly; for inputs a -1 in the model accepts any dim. */
function compareDims(
  model: string,
  tensor: string,
  modelShape: number[],
  dims: number[],
  mbs: number,
  exact: boolean,
): void {
  const full = mbs > 0 ? [-1, ...dims] : dims;
  if (mbs > 0 && modelShape[0] !== -1) {
    throw invalidArg(
      `model '${model}', tensor '${tensor}': for the model to support batching the shape should have at least 1 dimension and the first dimension must be -1; but shape expected by the model is ${shapeText(modelShape)}`,
    );
  }
  const ok =
    modelShape.length === full.length && full.every((d, i) => (!exact && modelShape[i] === -1) || modelShape[i] === d);
  if (ok) return;
  const what =
    mbs > 0
      ? `${full.length} dimensions (an initial batch dimension because max_batch_size > 0 followed by the explicit tensor shape, making complete shape ${shapeText(full)})`
      : `${dims.length} dimensions (shape ${shapeText(dims)})`;
  throw invalidArg(
    `model '${model}', tensor '${tensor}': the model expects ${modelShape.length} dimensions (shape ${shapeText(modelShape)}) but the model configuration specifies ${what}`,
  );
}
