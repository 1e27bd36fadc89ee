/**
 * Lossless printer: walks the concrete syntax tree and writes every token with the trivia before
 * it, so an unchanged document prints byte-identical to its source.
 */
import type { DocumentNode, FieldNode, ValueNode } from './cst';
import type { Token } from './lexer';

export function printDocument(doc: DocumentNode): string {
  // A document with a syntax error has no complete tree; its tokens still cover the text.
  if (doc.syntaxError) return doc.tokens.map((t) => t.pre + t.text).join('');
  const out: string[] = [];
  printFields(doc.fields, out);
  emit(doc.eof, out);
  return out.join('');
}

function emit(t: Token, out: string[]): void {
  if (t.pre) out.push(t.pre);
  if (t.text) out.push(t.text);
}

function printFields(fields: FieldNode[], out: string[]): void {
  for (const f of fields) {
    emit(f.name, out);
    if (f.colon) emit(f.colon, out);
    printValue(f.value, out);
    if (f.sep) emit(f.sep, out);
  }
}

function printValue(v: ValueNode, out: string[]): void {
  switch (v.kind) {
    case 'scalar':
      for (const t of v.tokens) emit(t, out);
      return;
    case 'message':
      emit(v.open, out);
      printFields(v.fields, out);
      emit(v.close, out);
      return;
    case 'list':
      emit(v.open, out);
      for (const item of v.items) {
        printValue(item.value, out);
        if (item.comma) emit(item.comma, out);
      }
      emit(v.close, out);
      return;
  }
}
