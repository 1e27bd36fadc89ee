/**
 * One queue per file path: tasks for the same path run one after another, in call order, while
 * tasks for different paths run freely. safeSave uses it so that two saves of one file can never
 * interleave their hash check and rename, whatever transport (IPC, bridge, CLI) they came from.
 */
import { resolve } from 'node:path';

const tails = new Map<string, Promise<unknown>>();

export function runExclusive<T>(path: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const previous = tails.get(key) ?? Promise.resolve();
  // Run after the previous task settles, whether it succeeded or not.
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key); // nothing queued behind us: forget the path
  });
  return run;
}

/** Paths with a task running or queued (tests check the map does not grow without bound). */
export function queuedPathCount(): number {
  return tails.size;
}
