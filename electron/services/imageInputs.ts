/**
 * Image inputs that arrive as 8-bit planes (contract ImageInput) widened into the FP32/FP16 tensor
 * the model takes, written straight into a tensor the client sends without copying
 * (TritonClient.allocateInput). Those tensors are pooled per client and shape: a playing video
 * sends the same input frame after frame, and a fresh multi-megabyte buffer per frame costs page
 * faults and garbage collections; one is never written while a call using it is in flight.
 */
import type { ImageInput } from '../../shared/contract';
import { widenPlanes } from '../../shared/preprocess';
import type { Tensor } from '../triton/types';
import type { TritonClientLike } from './tritonLike';

/** Free tensors kept per client and input (enough for a few requests in flight). */
const MAX_FREE = 8;

export class ImageInputPool {
  private readonly free = new WeakMap<TritonClientLike, Map<string, Tensor[]>>();

  /** The widened tensor for `image` and the function that gives it back once the call is over. */
  take(client: TritonClientLike, image: ImageInput): { tensor: Tensor; release(): void } {
    const key = `${image.name}|${image.datatype}|${image.shape.join(',')}`;
    let byKey = this.free.get(client);
    if (!byKey) this.free.set(client, (byKey = new Map<string, Tensor[]>()));
    const list = byKey.get(key) ?? [];
    byKey.set(key, list);
    const tensor = list.pop() ?? client.allocateInput(image.name, image.datatype, image.shape);
    widenPlanes(image.planes, {
      dtype: image.datatype,
      scale: image.scale,
      mean: image.mean,
      std: image.std,
      out: tensor.data,
    });
    let released = false;
    return {
      tensor,
      release: () => {
        if (released) return;
        released = true;
        if (list.length < MAX_FREE) list.push(tensor);
      },
    };
  }
}
