/**
 * Which frames each slot has a request in flight for, and which request holds each. A request claims
 * the frame it was made for and, when the video had moved on by the time it was captured, the frame
 * it captured instead (the controller's captureAs). Claims belong to the slot's results generation
 * (InferenceSlice.resultsGeneration): once the slot's results are cleared (a new source, model or
 * preprocessing, a reloaded model), requests still in flight hold nothing, so the new video's frames
 * are not skipped as "requested" by answers that will be thrown away.
 */
import type { Slot } from './model';

/** One request, as a holder of claims. */
export interface Claimant {
  readonly generation: number;
}

const held: Record<Slot, Map<string, Claimant>> = { a: new Map(), b: new Map() };

/** A request of this generation holds `key`. */
export function isClaimed(slot: Slot, key: string, generation: number): boolean {
  return held[slot].get(key)?.generation === generation;
}

/** Claims `key` for `who` unless another request of its generation holds it; true when `who` holds it. */
export function claim(slot: Slot, key: string, who: Claimant): boolean {
  const holder = held[slot].get(key);
  if (holder && holder !== who && holder.generation === who.generation) return false;
  held[slot].set(key, who);
  return true;
}

/** Gives up what `who` holds of `keys` (a claim taken over since is left alone). */
export function release(slot: Slot, who: Claimant, keys: Iterable<string>): void {
  for (const key of keys) if (held[slot].get(key) === who) held[slot].delete(key);
}
