/**
 * The layering rules of the brief, checked on the source: shared/ imports nothing outside shared/
 * (and no Node built-ins), electron/ never imports renderer/, renderer/ never imports electron/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT_RE =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function topDirOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(root, resolve(dirname(file), spec)).split(/[\\/]/)[0];
}

test('shared/ imports only shared/ and no Node or DOM modules', () => {
  const bad: string[] = [];
  for (const file of sources(join(root, 'shared'))) {
    for (const spec of importsOf(file)) {
      const top = topDirOf(file, spec);
      if (top !== undefined && top !== 'shared') bad.push(`${relative(root, file)} -> ${spec}`);
      if (spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'electron'].includes(spec)) {
        bad.push(`${relative(root, file)} -> ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test('electron/ never imports renderer/, renderer/ never imports electron/', () => {
  const bad: string[] = [];
  for (const [side, forbidden] of [
    ['electron', 'renderer'],
    ['renderer', 'electron'],
  ] as const) {
    for (const file of sources(join(root, side))) {
      for (const spec of importsOf(file)) {
        if (topDirOf(file, spec) === forbidden) bad.push(`${relative(root, file)} -> ${spec}`);
        if (side === 'renderer' && (spec === 'electron' || spec.startsWith('node:')))
          bad.push(`${relative(root, file)} -> ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});
