/**
 * Canonical formatting.
 *
 * - `formatDocument` (behind `formatModelConfig` / `tritonscope pbtxt fmt`) re-lays out a parsed
 *   document: two-space indentation, one field per line, `name: value` for scalars, `name {` for
 *   messages, `name: [ a, b ]` for scalar lists, `name [ {...}, {...} ]` for message lists,
 *   double-quoted strings, decimal integers, enum names, `true`/`false`, shortest floats, no
 *   separators. It keeps the author's field order, every comment and single blank lines between
 *   fields: a formatter must never lose information. Comments written inside an inline value
 *   (e.g. inside `dims: [ ... ]`) move to their own line above the field.
 * - `printConfigObject` (behind `printModelConfig`) writes a typed ModelConfig in the same style,
 *   fields in .proto declaration order.
 */
import type { DocumentNode, FieldNode, MessageNode, ScalarNode } from './cst';
import { integerText } from './exactIntegers';
import { ROOT_MESSAGE, enumIndex, isIntegerType, mapEntryFields, messageIndex, type FieldDescriptor } from './schema';
import { exactIntegerText, formatFloat, quoteString, toBool, toFloat, toStringValue } from './values';

const INDENT = '  ';

class Out {
  readonly lines: string[] = [];
  indent = 0;
  push(text: string): void {
    this.lines.push(INDENT.repeat(this.indent) + text);
  }
  blank(): void {
    const last = this.lines[this.lines.length - 1];
    if (last !== undefined && last !== '' && !/[{[]$/.test(last)) this.lines.push('');
  }
  appendToLast(text: string): boolean {
    const i = this.lines.length - 1;
    if (i < 0 || this.lines[i] === '') return false;
    this.lines[i] += text;
    return true;
  }
  text(): string {
    while (this.lines.length && this.lines[this.lines.length - 1] === '') this.lines.pop();
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }
}

interface Trivia {
  /** A comment on the same line as the previous token. */
  trailing?: string;
  /** Comments on their own lines, each with whether a blank line preceded it. */
  own: { text: string; blankBefore: boolean }[];
  /** A blank line right before the token itself (after the last comment). */
  blankBeforeToken: boolean;
}

function splitTrivia(pre: string): Trivia {
  const t: Trivia = { own: [], blankBeforeToken: false };
  if (!pre) return t;
  let newlines = 0;
  let i = 0;
  while (i < pre.length) {
    const c = pre.charCodeAt(i);
    if (c === 35 /* # */) {
      let j = pre.indexOf('\n', i);
      if (j < 0) j = pre.length;
      const text = pre.slice(i, j).replace(/\s+$/, '');
      if (newlines === 0 && t.own.length === 0 && t.trailing === undefined) t.trailing = text;
      else t.own.push({ text, blankBefore: newlines >= 2 });
      newlines = 0;
      i = j;
    } else {
      if (c === 10) newlines++;
      i++;
    }
  }
  t.blankBeforeToken = newlines >= 2;
  return t;
}

/** Emits the comments of a token's trivia around the current output position. */
function pump(out: Out, pre: string, allowBlank = true): boolean {
  const t = splitTrivia(pre);
  if (t.trailing !== undefined && !out.appendToLast(' ' + t.trailing)) out.push(t.trailing);
  for (const c of t.own) {
    if (c.blankBefore && allowBlank) out.blank();
    out.push(c.text);
  }
  return t.blankBeforeToken;
}

function commentsIn(pre: string, into: string[]): void {
  const t = splitTrivia(pre);
  if (t.trailing !== undefined) into.push(t.trailing);
  for (const c of t.own) into.push(c.text);
}

// ---- typed scalar rendering ---------------------------------------------------------------------

function scalarText(node: ScalarNode, fd: FieldDescriptor): string {
  const toks = node.tokens;
  switch (fd.type) {
    case 'string':
    case 'bytes':
      return quoteString(toStringValue(toks));
    case 'bool':
      return toBool(toks) ? 'true' : 'false';
    case 'float':
    case 'double':
      return formatFloat(toFloat(toks, fd.type));
    case 'enum': {
      const tok = toks[toks.length - 1];
      if (tok.kind === 'ident') return tok.text;
      const n = Number(exactIntegerText(toks));
      return enumIndex(fd.typeName!).byNumber.get(n) ?? String(n);
    }
    default:
      return exactIntegerText(toks);
  }
}

// ---- formatting a parsed document ----------------------------------------------------------------

/** Canonical text of a document that bound to the schema without errors. */
export function formatDocument(doc: DocumentNode, rootType = ROOT_MESSAGE): string {
  const out = new Out();
  formatFields(out, doc.fields, rootType, true);
  pump(out, doc.eof.pre);
  return out.text();
}

function fieldsOf(
  typeName: string | { key: FieldDescriptor; value: FieldDescriptor },
): (name: string) => FieldDescriptor {
  if (typeof typeName === 'string') {
    const idx = messageIndex(typeName);
    return (name) => idx.byName.get(name)!;
  }
  return (name) => (name === 'key' ? typeName.key : typeName.value);
}

function formatFields(
  out: Out,
  fields: FieldNode[],
  type: string | { key: FieldDescriptor; value: FieldDescriptor },
  atStart: boolean,
): void {
  const lookup = fieldsOf(type);
  fields.forEach((f, i) => {
    const fd = lookup(f.name.text);
    const blankBefore = pump(out, f.name.pre, !(atStart && i === 0));
    if (blankBefore && !(atStart && i === 0 && out.lines.length === 0)) out.blank();
    formatField(out, f, fd);
    if (f.sep) pump(out, f.sep.pre);
  });
}

function formatField(out: Out, f: FieldNode, fd: FieldDescriptor): void {
  const name = f.name.text;
  const v = f.value;
  const hoisted: string[] = [];
  if (f.colon) commentsIn(f.colon.pre, hoisted);
  const isMessage = fd.type === 'message' || !!fd.map;
  const entryType = fd.map ? mapEntryFields(fd) : fd.typeName!;

  if (!isMessage) {
    // Inline value: every comment inside it moves above the field.
    let text: string;
    if (v.kind === 'list') {
      commentsIn(v.open.pre, hoisted);
      const items = v.items.map((it) => {
        const s = it.value as ScalarNode;
        for (const t of s.tokens) commentsIn(t.pre, hoisted);
        if (it.comma) commentsIn(it.comma.pre, hoisted);
        return scalarText(s, fd);
      });
      commentsIn(v.close.pre, hoisted);
      text = items.length ? `[ ${items.join(', ')} ]` : '[ ]';
    } else {
      const s = v as ScalarNode;
      for (const t of s.tokens) commentsIn(t.pre, hoisted);
      text = scalarText(s, fd);
    }
    for (const c of hoisted) out.push(c);
    out.push(`${name}: ${text}`);
    return;
  }

  for (const c of hoisted) out.push(c);
  if (v.kind === 'list') {
    pumpHoisted(out, v.open.pre);
    if (!v.items.length && !hasComment(v.close.pre)) {
      out.push(`${name} [ ]`);
      return;
    }
    out.push(`${name} [`);
    out.indent++;
    v.items.forEach((it, k) => {
      const m = it.value as MessageNode;
      pump(out, m.open.pre);
      formatMessageBody(out, m, '', entryType, k < v.items.length - 1 ? ',' : '');
      if (it.comma) pump(out, it.comma.pre);
    });
    pump(out, v.close.pre);
    out.indent--;
    out.push(']');
    return;
  }
  const m = v as MessageNode;
  pumpHoisted(out, m.open.pre);
  formatMessageBody(out, m, `${name} `, entryType, '');
}

/** Comments before an opening `{`/`[` (after the field name) go above the field line. */
function pumpHoisted(out: Out, pre: string): void {
  const lines: string[] = [];
  commentsIn(pre, lines);
  for (const c of lines) out.push(c);
}

function hasComment(pre: string): boolean {
  return pre.indexOf('#') >= 0;
}

function formatMessageBody(
  out: Out,
  m: MessageNode,
  head: string,
  type: string | { key: FieldDescriptor; value: FieldDescriptor },
  suffix: string,
): void {
  if (!m.fields.length && !hasComment(m.close.pre)) {
    out.push(`${head}{ }${suffix}`);
    return;
  }
  out.push(`${head}{`);
  out.indent++;
  formatFields(out, m.fields, type, true);
  pump(out, m.close.pre);
  out.indent--;
  out.push(`}${suffix}`);
}

// ---- printing a typed object ---------------------------------------------------------------------

type Obj = Record<string, unknown>;

/** Canonical pbtxt of a typed message object, fields in .proto declaration order. */
export function printConfigObject(config: Obj, rootType = ROOT_MESSAGE): string {
  const out = new Out();
  printObject(out, config, rootType);
  return out.text();
}

function printObject(out: Out, obj: Obj, typeName: string): void {
  for (const fd of messageIndex(typeName).desc.fields) {
    const v = obj[fd.name];
    if (v === undefined || v === null) continue;
    printField(out, fd, v, obj);
  }
}

/** Prints one field (all its elements or entries) of `container`. */
function printField(out: Out, fd: FieldDescriptor, v: unknown, container: object): void {
  if (fd.map) {
    for (const [k, ev] of Object.entries(v as Obj)) printMapEntry(out, fd, k, ev, v as Obj, `${fd.name} `);
  } else if (fd.label === 'repeated') {
    const arr = v as unknown[];
    if (!arr.length) return;
    if (fd.type === 'message') {
      out.push(`${fd.name} [`);
      out.indent++;
      arr.forEach((e, k) => printMessageBlock(out, '', e as Obj, fd.typeName!, k < arr.length - 1 ? ',' : ''));
      out.indent--;
      out.push(']');
    } else {
      out.push(`${fd.name}: [ ${arr.map((e, k) => valueText(e, fd, arr, k)).join(', ')} ]`);
    }
  } else {
    printSingle(out, fd.name, v, fd, container, fd.name);
  }
}

function printMapEntry(out: Out, fd: FieldDescriptor, k: string, ev: unknown, map: Obj, head: string): void {
  const { key, value } = mapEntryFields(fd);
  out.push(`${head}{`);
  out.indent++;
  out.push(`key: ${mapKeyText(k, key)}`);
  printSingle(out, 'value', ev, value, map, k);
  out.indent--;
  out.push('}');
}

function mapKeyText(k: string, key: FieldDescriptor): string {
  if (isIntegerType(key.type)) return k;
  if (key.type === 'bool') return k === 'true' ? 'true' : 'false';
  return quoteString(k);
}

function printMessageBlock(out: Out, head: string, sub: Obj, typeName: string, suffix: string): void {
  if (!Object.values(sub).some((x) => x !== undefined)) {
    out.push(`${head}{ }${suffix}`);
    return;
  }
  out.push(`${head}{`);
  out.indent++;
  printObject(out, sub, typeName);
  out.indent--;
  out.push(`}${suffix}`);
}

function printSingle(
  out: Out,
  name: string,
  v: unknown,
  fd: FieldDescriptor,
  container: object,
  key: string | number,
): void {
  if (fd.type === 'message') printMessageBlock(out, `${name} `, v as Obj, fd.typeName!, '');
  else out.push(`${name}: ${valueText(v, fd, container, key)}`);
}

export function valueText(
  v: unknown,
  fd: FieldDescriptor,
  container: object | undefined,
  key: string | number,
): string {
  switch (fd.type) {
    case 'string':
    case 'bytes':
      return quoteString(String(v));
    case 'bool':
      return v ? 'true' : 'false';
    case 'float':
    case 'double':
      return formatFloat(Number(v));
    case 'enum':
      return typeof v === 'number' ? (enumIndex(fd.typeName!).byNumber.get(v) ?? String(v)) : String(v);
    default:
      if (typeof v === 'bigint') return v.toString();
      return integerText(container, key, Number(v));
  }
}

/**
 * Text for edits: one field, one element of a repeated field, or one map entry, rendered
 * canonically. Lines after the first are prefixed with `baseIndent` (the indentation of the line
 * the text is inserted into).
 */
export function renderForEdit(
  what:
    | { kind: 'field'; fd: FieldDescriptor; value: unknown }
    | { kind: 'element'; fd: FieldDescriptor; value: unknown }
    | { kind: 'entry'; fd: FieldDescriptor; key: string; value: unknown },
  baseIndent: string,
): string {
  const out = new Out();
  if (what.kind === 'field') {
    const holder: Obj = { [what.fd.name]: what.value };
    printField(out, what.fd, what.value, holder);
  } else if (what.kind === 'element') {
    if (what.fd.type === 'message') printMessageBlock(out, '', what.value as Obj, what.fd.typeName!, '');
    else out.push(valueText(what.value, what.fd, undefined, 0));
  } else {
    const map: Obj = { [what.key]: what.value };
    printMapEntry(out, what.fd, what.key, what.value, map, `${what.fd.name} `);
  }
  return out.lines.map((l, i) => (i === 0 ? l : baseIndent + l)).join('\n');
}
