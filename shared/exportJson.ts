/**
 * JSON for what we write out (CLI --json and --out, the inspector's exports). JSON has no NaN or
 * Infinity, and JSON.stringify turns them into null: an FP16 model whose outputs overflowed would
 * read as "no value". They are written as the strings "NaN", "Infinity" and "-Infinity" (as
 * protobuf's JSON mapping does), and 64-bit integers (bigint) as decimal strings.
 */
export function exportJsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return value;
}

/** `value` as indented JSON text (no trailing newline), non-finite numbers and bigints as strings. */
export function exportJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, exportJsonReplacer, indent);
}
