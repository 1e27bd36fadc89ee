/**
 * The inspector's model metadata cache: one read per (connection, model), shared by the controller and
 * the model section, forgotten when a model is loaded, unloaded or re-applied, or a connection
 * (re)connects (the controller's invalidateMetadata), so a changed input shape is read again.
 */
import { create } from 'zustand';
import { getApi } from '../../../api';
import type { ModelMetadata } from '../../../../shared/contract';

/** Bumped on every invalidation, so views showing metadata read it again. */
export const useMetadataEpoch = create<{ epoch: number }>()(() => ({ epoch: 0 }));

const metaCache = new Map<string, Promise<ModelMetadata>>();
const metaKey = (connectionId: string, model: string) => `${connectionId}|${model}`;

export function metadataFor(connectionId: string, model: string): Promise<ModelMetadata> {
  const key = metaKey(connectionId, model);
  let p = metaCache.get(key);
  if (!p) {
    p = getApi().modelMetadata({ connectionId, model });
    metaCache.set(key, p);
    p.catch(() => {
      if (metaCache.get(key) === p) metaCache.delete(key);
    });
  }
  return p;
}

/** Forgets the cached metadata of all models, one connection's, or one model's, and tells the views. */
export function forgetMetadata(connectionId?: string, model?: string): void {
  for (const key of [...metaCache.keys()]) {
    const [c, m] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    if ((connectionId === undefined || c === connectionId) && (model === undefined || m === model))
      metaCache.delete(key);
  }
  useMetadataEpoch.setState((s) => ({ epoch: s.epoch + 1 }));
}
