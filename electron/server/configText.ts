/**
 * Reading ModelConfig text and JSON through shared/pbtxt (engineer 3's parser). Kept in one place
 * so the repository reader does not care which pbtxt entry points exist.
 */
import { parseDocument } from '../../shared/pbtxt/cst';
import { bindDocument } from '../../shared/pbtxt/bind';
import { fromProtoJson as pbtxtFromProtoJson } from '../../shared/pbtxt/protoJson';
import type { Diagnostic } from '../../shared/diagnostic';

export function parseConfigText(text: string, file: string): { config?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const doc = parseDocument(text, file);
  if (doc.syntaxError) return { diagnostics: [doc.syntaxError] };
  const bound = bindDocument(doc);
  return { config: bound.value, diagnostics: bound.diagnostics };
}

export function configFromJson(json: unknown): Record<string, unknown> {
  return pbtxtFromProtoJson(json) as unknown as Record<string, unknown>;
}
