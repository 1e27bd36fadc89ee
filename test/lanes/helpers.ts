/** Shared fixtures for the lane tests: the read-only vectors/real frames in <repo>/../shared/lanes. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../helpers/shared';

export const LANES_DIR = sharedPath('lanes');
export const VECTORS_DIR = join(LANES_DIR, 'vectors');
export const UFLD_DIR = join(VECTORS_DIR, 'ufld');
export const REAL_DIR = join(LANES_DIR, 'real');

export function readF32(path: string): Float32Array {
  const buf = readFileSync(path);
  // Copy into an aligned buffer: a Buffer's byteOffset need not be a multiple of 4.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Names (without extension) of the LaneATT vectors: every .f32 with a sibling .json. */
export function laneAttVectorNames(): string[] {
  return readdirSync(VECTORS_DIR)
    .filter((n) => n.endsWith('.f32'))
    .map((n) => n.slice(0, -4))
    .sort();
}

/**
 * Deep comparison: same keys (in order), same array lengths, equal strings/booleans/nulls, and
 * numbers within `tol(path)` (absolute). Collects every difference so a failure says where.
 */
export function assertDeepClose(got: unknown, want: unknown, tol: (path: string) => number, path = '$'): void {
  const issues: string[] = [];
  const walk = (a: any, b: any, p: string) => {
    if (issues.length > 20) return;
    if (typeof b === 'number') {
      if (typeof a !== 'number' || !(Math.abs(a - b) <= tol(p))) issues.push(`${p}: got ${a}, want ${b}`);
    } else if (Array.isArray(b)) {
      if (!Array.isArray(a) || a.length !== b.length) issues.push(`${p}: got length ${a?.length}, want ${b.length}`);
      else b.forEach((x, i) => walk(a[i], x, `${p}[${i}]`));
    } else if (b !== null && typeof b === 'object') {
      if (a === null || typeof a !== 'object') issues.push(`${p}: got ${JSON.stringify(a)}, want an object`);
      else {
        const ka = Object.keys(a).join(','),
          kb = Object.keys(b).join(',');
        if (ka !== kb) issues.push(`${p}: keys ${ka} != ${kb}`);
        for (const k of Object.keys(b)) walk(a[k], b[k], `${p}.${k}`);
      }
    } else if (a !== b) issues.push(`${p}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
  };
  walk(got, want, path);
  assert.deepEqual(issues, [], issues.join('\n'));
}

/** Vector tolerance: scores within 1e-6, every other number (pixels, raw columns) within 1e-3. */
export const vectorTolerance = (p: string) => (/\.score$/.test(p) ? 1e-6 : 1e-3);
