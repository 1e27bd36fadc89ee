/**
 * The external conformance data in <repo>/../shared (pbtxt corpus, lane reference vectors, real
 * frames, the official client). A clone on its own has none of it: tests that need it skip with
 * one line naming what is missing, and the runner's summary lists those skips apart from the others
 * (scripts/test-summary-reporter.mjs keys on the "../shared/" prefix of the reason).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(import.meta.dirname, '../../../shared');

/** Absolute path of `rel` inside ../shared (which may not exist). */
export const sharedPath = (rel: string) => join(SHARED_DIR, rel);

/** For node:test's `skip` option: false when ../shared/`rel` exists, else the one-line reason. */
export function skipUnlessShared(rel: string): string | false {
  return existsSync(sharedPath(rel)) ? false : `../shared/${rel} not present`;
}

/** True when ../shared/`rel` exists: for module-level loops that must not read missing files. */
export const hasShared = (rel: string) => existsSync(sharedPath(rel));
