/**
 * Concrete syntax tree of a protobuf text-format document, and its parser.
 *
 * The tree references the lexer's tokens, which carry their leading trivia, so it keeps every
 * comment, blank line and spacing choice (`:` or not, `{}` or `<>`, lists or repeated fields,
 * `,`/`;` separators). It knows nothing about ModelConfig: binding to the schema happens in
 * ./bind. The parser stops at the first syntax error (as protobuf does) and reports it with a
 * position; it never throws on any input.
 */
import type { Diagnostic } from '../diagnostic';
import { LineIndex, tokenize, type Token } from './lexer';

export type { Token } from './lexer';

export interface FieldNode {
  kind: 'field';
  name: Token;
  /** The `:` after the name, when written. */
  colon?: Token;
  value: ValueNode;
  /** A `,` or `;` written after the field. */
  sep?: Token;
  start: number;
  /** End of the value (separator excluded). */
  end: number;
}

/** A scalar value: `[-] number|identifier`, or one or more adjacent string literals. */
export interface ScalarNode {
  kind: 'scalar';
  tokens: Token[];
  start: number;
  end: number;
}

export interface MessageNode {
  kind: 'message';
  /** `{` or `<`. */
  open: Token;
  fields: FieldNode[];
  close: Token;
  start: number;
  end: number;
}

export interface ListItem {
  value: ScalarNode | MessageNode;
  comma?: Token;
}

export interface ListNode {
  kind: 'list';
  open: Token;
  items: ListItem[];
  close: Token;
  start: number;
  end: number;
}

export type ValueNode = ScalarNode | MessageNode | ListNode;

export interface DocumentNode {
  kind: 'document';
  /** The text this tree was parsed from. */
  source: string;
  file?: string;
  fields: FieldNode[];
  /** End-of-file token; its `pre` holds the trailing trivia. */
  eof: Token;
  /** All tokens, in order (the EOF token last). */
  tokens: Token[];
  lines: LineIndex;
  /**
   * Set when the text is not syntactically valid. `fields` is then empty and printing the document
   * returns `source` unchanged (its tokens still cover the whole text).
   */
  syntaxError?: Diagnostic;
  /**
   * With a syntax error: the lists opened before it, with the field path of each (names from the
   * root). The binder uses them to report a `[` after a non-repeated field first, as protobuf
   * does, instead of a later error inside the list.
   */
  listsBeforeError?: { open: Token; path: string[] }[];
}

/** protobuf's default recursion limit; deeper nesting is reported instead of overflowing the stack. */
export const MAX_NESTING_DEPTH = 100;

class SyntaxFailure {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly message: string,
    readonly code = 'syntax',
  ) {}
}

export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'string') return `string ${t.text.length > 40 ? t.text.slice(0, 37) + '...' : t.text}`;
  return `'${t.text.length > 40 ? t.text.slice(0, 37) + '...' : t.text}'`;
}

const CLOSER: Record<string, string> = { '{': '}', '<': '>' };

export function parseDocument(text: string, file?: string): DocumentNode {
  const lex = tokenize(text);
  const tokens = lex.tokens;
  const lines = new LineIndex(text);
  let pos = 0;
  const fieldPath: string[] = [];
  const lists: { open: Token; path: string[] }[] = [];
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const isPunct = (t: Token, p: string) => t.kind === 'punct' && t.text === p;

  // A lexical error surfaces when the parser reaches the synthetic EOF that replaced the bad token.
  const unexpected = (t: Token, expected: string): SyntaxFailure => {
    if (t.kind === 'eof' && lex.error)
      return new SyntaxFailure(lex.error.offset, lex.error.end, lex.error.message, lex.error.code);
    return new SyntaxFailure(t.start, Math.max(t.end, t.start + 1), `${expected}, found ${describeToken(t)}`);
  };

  function parseFields(depth: number, closer: string | undefined, openTok: Token | undefined): FieldNode[] {
    const fields: FieldNode[] = [];
    while (true) {
      const t = peek();
      if (t.kind === 'eof') {
        if (closer === undefined && !lex.error) return fields;
        if (lex.error) throw unexpected(t, '');
        const where = lines.position(openTok!.start);
        throw new SyntaxFailure(
          t.start,
          t.start,
          `Expected '${closer}' to close the '${openTok!.text}' opened at line ${where.line}:${where.column}, found end of file`,
          'unclosed',
        );
      }
      if (t.kind === 'punct' && (t.text === '}' || t.text === '>')) {
        if (t.text === closer) return fields;
        if (closer === undefined)
          throw new SyntaxFailure(t.start, t.end, `Unexpected '${t.text}': no message is open here`);
        const where = lines.position(openTok!.start);
        throw new SyntaxFailure(
          t.start,
          t.end,
          `Expected '${closer}' to close the '${openTok!.text}' opened at line ${where.line}:${where.column}, found '${t.text}'`,
          'unclosed',
        );
      }
      fields.push(parseField(depth));
    }
  }

  function parseField(depth: number): FieldNode {
    const name = next();
    if (name.kind !== 'ident') {
      if (isPunct(name, '[')) {
        throw new SyntaxFailure(
          name.start,
          name.end,
          'Extensions and Any type URLs ([...] field names) are not supported in a model configuration',
          'unsupported',
        );
      }
      pos--;
      throw unexpected(name, 'Expected a field name');
    }
    let colon: Token | undefined;
    if (isPunct(peek(), ':')) colon = next();
    const t = peek();
    let value: ValueNode;
    if (isPunct(t, '{') || isPunct(t, '<')) {
      fieldPath.push(name.text);
      value = parseMessage(depth + 1);
      fieldPath.pop();
    } else if (isPunct(t, '[')) {
      fieldPath.push(name.text);
      lists.push({ open: t, path: fieldPath.slice() });
      value = parseList(depth + 1, name);
      fieldPath.pop();
    } else if (colon) value = parseScalar(name);
    else throw unexpected(t, `Expected ':' or '{' after field name '${name.text}'`);
    const field: FieldNode = { kind: 'field', name, colon, value, start: name.start, end: value.end };
    const s = peek();
    if (isPunct(s, ',') || isPunct(s, ';')) field.sep = next();
    return field;
  }

  function parseMessage(depth: number): MessageNode {
    const open = next();
    if (depth > MAX_NESTING_DEPTH) {
      throw new SyntaxFailure(open.start, open.end, `Nesting deeper than ${MAX_NESTING_DEPTH} levels`, 'too-deep');
    }
    const closer = CLOSER[open.text];
    const fields = parseFields(depth, closer, open);
    const close = next();
    return { kind: 'message', open, fields, close, start: open.start, end: close.end };
  }

  function parseScalar(fieldName: Token): ScalarNode {
    const first = next();
    if (first.kind === 'string') {
      const toks = [first];
      while (peek().kind === 'string') toks.push(next());
      return { kind: 'scalar', tokens: toks, start: first.start, end: toks[toks.length - 1].end };
    }
    if (isPunct(first, '-')) {
      const num = next();
      if (num.kind !== 'int' && num.kind !== 'float' && num.kind !== 'ident') {
        pos--;
        throw unexpected(num, `Expected a number after '-' in the value of '${fieldName.text}'`);
      }
      return { kind: 'scalar', tokens: [first, num], start: first.start, end: num.end };
    }
    if (first.kind === 'int' || first.kind === 'float' || first.kind === 'ident') {
      return { kind: 'scalar', tokens: [first], start: first.start, end: first.end };
    }
    pos--;
    throw unexpected(first, `Expected a value for field '${fieldName.text}'`);
  }

  function parseList(depth: number, fieldName: Token): ListNode {
    const open = next();
    if (depth > MAX_NESTING_DEPTH) {
      throw new SyntaxFailure(open.start, open.end, `Nesting deeper than ${MAX_NESTING_DEPTH} levels`, 'too-deep');
    }
    const items: ListItem[] = [];
    if (isPunct(peek(), ']')) {
      const close = next();
      return { kind: 'list', open, items, close, start: open.start, end: close.end };
    }
    while (true) {
      const t = peek();
      const value = isPunct(t, '{') || isPunct(t, '<') ? parseMessage(depth + 1) : parseScalar(fieldName);
      const item: ListItem = { value };
      items.push(item);
      const s = next();
      if (isPunct(s, ']')) return { kind: 'list', open, items, close: s, start: open.start, end: s.end };
      if (!isPunct(s, ',')) {
        pos--;
        const where = lines.position(open.start);
        throw unexpected(
          s,
          `Expected ',' or ']' in the list of '${fieldName.text}' opened at line ${where.line}:${where.column}`,
        );
      }
      item.comma = s;
    }
  }

  const doc: DocumentNode = {
    kind: 'document',
    source: text,
    file,
    fields: [],
    eof: tokens[tokens.length - 1],
    tokens,
    lines,
  };
  try {
    doc.fields = parseFields(0, undefined, undefined);
  } catch (err) {
    if (!(err instanceof SyntaxFailure)) throw err;
    const a = lines.position(err.start);
    const b = lines.position(Math.max(err.end, err.start));
    doc.listsBeforeError = lists;
    doc.syntaxError = {
      severity: 'error',
      code: err.code,
      message: err.message,
      file,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
    };
  }
  return doc;
}
