/**
 * config.pbtxt support: a lossless parser (concrete syntax tree keeping comments and layout), the
 * typed ModelConfig view, the proto3 JSON mapping, semantic validation, canonical formatting and
 * text-preserving edits. Pure TS (shared/): used by the CLI, the embedded server and the editor.
 */
import type { Diagnostic } from '../diagnostic';
import type { ModelConfig } from '../triton/modelConfigSchema';
import { bindDocument, type SourceMap } from './bind';
import { parseDocument, type DocumentNode } from './cst';
import { PbtxtSyntaxError, hasErrors } from './errors';
import { formatDocument, printConfigObject } from './format';
import { fromProtoJson } from './protoJson';
import { validateModelConfig } from './validate';

export type { Diagnostic } from '../diagnostic';
export type * from '../triton/modelConfigSchema';
export { MESSAGES, ENUMS, ROOT_MESSAGE } from '../triton/modelConfigSchema';
export type { DocumentNode, FieldNode, MessageNode, ScalarNode, ListNode, ListItem, ValueNode, Token } from './cst';
export { parseDocument, MAX_NESTING_DEPTH } from './cst';
export { tokenize, LineIndex } from './lexer';
export { printDocument } from './printer';
export { PbtxtSyntaxError, hasErrors } from './errors';
export { toProtoJson, fromProtoJson, stringifyProtoJson, type FromJsonOptions } from './protoJson';
export { validateModelConfig, PLATFORM_BACKENDS, shape as formatShape, type ValidateOptions } from './validate';
export { bindDocument, SourceMap, type ElementSource } from './bind';
export {
  setField,
  removeField,
  planSetField,
  planRemoveField,
  applyTextEdit,
  parsePath,
  type TextEdit,
  type PathSegment,
} from './edit';

export interface ParseOptions {
  /** File name used in diagnostics. */
  file?: string;
  /** Run the semantic checks (default true). */
  semantic?: boolean;
}

export interface ParseResult {
  /** The concrete syntax tree (always present, even for broken text). */
  doc: DocumentNode;
  /** The typed view; absent when the text has syntax or schema errors. */
  config?: ModelConfig;
  /** Syntax, schema and semantic diagnostics, ordered by position. */
  diagnostics: Diagnostic[];
  /** Where each field of `config` was written (for pointing at text). */
  sources: SourceMap;
}

/** Parses config.pbtxt text. Never throws on bad input: problems come back as diagnostics. */
export function parseModelConfig(text: string, options: ParseOptions = {}): ParseResult {
  const doc = parseDocument(text, options.file);
  const bound = bindDocument(doc);
  const diagnostics = bound.diagnostics;
  let config: ModelConfig | undefined;
  if (bound.value && !hasErrors(diagnostics)) {
    config = bound.value;
    if (options.semantic !== false) {
      diagnostics.push(...validateModelConfig(config, { sources: bound.sources, file: options.file }));
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { doc, config, diagnostics, sources: bound.sources };
}

/** Parses and returns the typed config, or throws PbtxtSyntaxError with the syntax/schema errors. */
export function parseModelConfigOrThrow(text: string, options: { file?: string } = {}): ModelConfig {
  const r = parseModelConfig(text, { ...options, semantic: false });
  if (!r.config) throw new PbtxtSyntaxError(r.diagnostics);
  return r.config;
}

/**
 * Canonical layout of config.pbtxt text (see ./format): keeps field order and comments, normalizes
 * everything else. Throws PbtxtSyntaxError when the text has syntax or schema errors.
 */
export function formatModelConfig(text: string, options: { file?: string } = {}): string {
  const r = parseModelConfig(text, { ...options, semantic: false });
  if (!r.config) throw new PbtxtSyntaxError(r.diagnostics.filter((d) => d.severity === 'error'));
  return formatDocument(r.doc);
}

/** Canonical config.pbtxt text of a typed ModelConfig (fields in .proto declaration order). */
export function printModelConfig(config: ModelConfig): string {
  // Reject keys the schema does not know instead of silently dropping them.
  fromProtoJson(config);
  return printConfigObject(config as Record<string, unknown>);
}
