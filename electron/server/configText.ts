/**
 * Reading ModelConfig text and JSON through shared/pbtxt. Only syntax/schema errors fail a poll:
 * the editor's semantic lints are not Triton's load-time rules (modelConfig.ts applies those).
 */
import { fromProtoJson, parseModelConfig } from '../../shared/pbtxt';
import type { Diagnostic } from '../../shared/diagnostic';

export function parseConfigText(
  text: string,
  file: string,
): { config?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const { config, diagnostics } = parseModelConfig(text, { file, semantic: false });
  return { config: config as Record<string, unknown> | undefined, diagnostics };
}

export function configFromJson(json: unknown): Record<string, unknown> {
  return fromProtoJson(json) as unknown as Record<string, unknown>;
}
