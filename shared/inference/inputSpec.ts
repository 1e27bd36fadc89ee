/**
 * The one input detection: which input of a model takes the image, in which layout and size, and
 * which output holds the lanes. Used by the inspector, the exporters and `tritonscope infer`/`compare`.
 */
import type { ModelMetadata } from '../contract/schemas';

export interface InputSpec {
  name: string;
  datatype: string;
  /** Shape to send (a variable batch dimension resolved to 1). */
  shape: number[];
  layout: 'NCHW' | 'NHWC';
  width: number;
  height: number;
}

type MetadataLike = Pick<ModelMetadata, 'name' | 'inputs' | 'outputs'>;

/**
 * Finds the image input from the model metadata: a 4-D (or 3-D, no batch) tensor with 3 channels
 * first (CHW) or last (HWC) and fixed H and W. Variable dims (-1) in the batch position become 1.
 * Throws an error naming the model and listing its inputs when none fits.
 */
export function imageInputOf(meta: MetadataLike): InputSpec {
  if (!meta.inputs.length) throw new Error(`${meta.name}: the model has no inputs`);
  for (const t of meta.inputs) {
    const shape = t.shape.length === 3 ? [1, ...t.shape] : [...t.shape];
    if (shape.length !== 4) continue;
    shape[0] = shape[0] < 0 ? 1 : shape[0];
    const send = t.shape.length === 3 ? shape.slice(1) : shape;
    if (shape[1] === 3 && shape[2] > 0 && shape[3] > 0)
      return { name: t.name, datatype: t.datatype, shape: send, layout: 'NCHW', height: shape[2], width: shape[3] };
    if (shape[3] === 3 && shape[1] > 0 && shape[2] > 0)
      return { name: t.name, datatype: t.datatype, shape: send, layout: 'NHWC', height: shape[1], width: shape[2] };
  }
  const desc = meta.inputs.map((t) => `${t.name} ${t.datatype} [${t.shape.join(',')}]`).join(', ');
  throw new Error(`${meta.name}: no image input with a fixed 3 x H x W (or H x W x 3) shape among: ${desc}`);
}

/** The output most likely to hold the lanes: the largest floating-point output. */
export function pickLaneOutput(meta: MetadataLike): string | undefined {
  const floats = meta.outputs.filter((o) => /^(FP32|FP16|BF16|FP64)$/.test(o.datatype));
  const size = (s: readonly number[]) => s.reduce((a, d) => a * Math.max(1, d), 1);
  return [...floats].sort((a, b) => size(b.shape) - size(a.shape))[0]?.name ?? meta.outputs[0]?.name;
}
