import { formatDiagnostic, type Diagnostic } from '../diagnostic';

/**
 * The one error type of the pbtxt module: thrown when text (or JSON) cannot be turned into a
 * ModelConfig. It carries every error-level diagnostic found; its message is the first one in
 * `file:line:col: error: message` form (plus a count of the rest).
 */
export class PbtxtSyntaxError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const shown = errors[0] ?? diagnostics[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    super(shown ? formatDiagnostic(shown) + more : 'invalid model configuration');
    this.name = 'PbtxtSyntaxError';
    this.diagnostics = diagnostics;
  }
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
