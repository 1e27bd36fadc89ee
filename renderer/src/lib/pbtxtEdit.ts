/**
 * Form edits as text edits: the shared/pbtxt edit planner computes the one replacement that sets
 * (or removes) a field, touching only that field's text; comments and layout elsewhere survive.
 */
import { applyTextEdit, parseDocument, planRemoveField, planSetField } from '../../../shared/pbtxt';

/** What the form sets: a scalar, an enum name, a list of numbers, an (empty) message, or null to remove. */
export type FieldValue =
  { string: string } | { number: number } | { enum: string } | { list: number[] } | { message: true } | null;

function plain(v: Exclude<FieldValue, null>): unknown {
  if ('string' in v) return v.string;
  if ('number' in v) return v.number;
  if ('enum' in v) return v.enum;
  if ('list' in v) return v.list;
  return {};
}

export function editConfigText(text: string, path: string, value: FieldValue): string {
  const doc = parseDocument(text);
  if (doc.syntaxError)
    throw new Error(`fix the syntax error first (line ${doc.syntaxError.line}: ${doc.syntaxError.message})`);
  const edit = value === null ? planRemoveField(doc, path) : planSetField(doc, path, plain(value));
  return applyTextEdit(text, edit);
}
