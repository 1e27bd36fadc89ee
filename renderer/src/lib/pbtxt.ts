/**
 * The editor's view of a config.pbtxt buffer, computed with shared/pbtxt in the renderer (pure code,
 * so diagnostics update as you type without a round trip): diagnostics at line:col, the typed
 * config, its snake_case JSON (for the form and the ensemble graph), and the canonical text.
 */
import { parseModelConfig, printModelConfig, type ModelConfig } from '../../../shared/pbtxt';
import type { Diagnostic } from '../../../shared/diagnostic';

export interface ConfigAnalysis {
  diagnostics: Diagnostic[];
  config?: ModelConfig;
  /** The config as a plain object with proto field names (same shape the server's config uses). */
  json?: Record<string, unknown>;
  /** The config printed canonically (fields in .proto order, no comments), as the services print the
   * server's loaded config: the two are diffed. */
  canonical?: string;
}

let last: { key: string; value: ConfigAnalysis } | undefined;

export function analyzeConfig(text: string, file?: string): ConfigAnalysis {
  const key = `${file ?? ''}\u0000${text}`;
  if (last?.key === key) return last.value;
  let value: ConfigAnalysis;
  try {
    const r = parseModelConfig(text, { file });
    let canonical: string | undefined;
    if (r.config) {
      try {
        canonical = printModelConfig(r.config);
      } catch {
        canonical = undefined;
      }
    }
    value = {
      diagnostics: [...r.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column),
      config: r.config,
      json: r.config ? (JSON.parse(JSON.stringify(r.config)) as Record<string, unknown>) : undefined,
      canonical,
    };
  } catch (e) {
    // The parser promises not to throw; if it ever does, show that rather than nothing.
    value = {
      diagnostics: [
        {
          severity: 'error',
          code: 'internal',
          message: `pbtxt parser failed: ${(e as Error).message}`,
          line: 1,
          column: 1,
        },
      ],
    };
  }
  last = { key, value };
  return value;
}
