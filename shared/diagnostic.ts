/**
 * A problem found in a user's file, located precisely enough for an editor to underline it and for
 * a terminal to print `file:line:column: message`. Lines and columns are 1-based; columns count
 * UTF-16 code units, as editors do.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine-readable identifier, e.g. `unknown-field`, `dims-vs-batch`. */
  code: string;
  message: string;
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Dotted path of the field concerned, e.g. `input[0].dims`, when there is one. */
  path?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file ?? '<input>'}:${d.line}:${d.column}`;
  return `${where}: ${d.severity}: ${d.message}`;
}
