/**
 * Text-preserving edits of a config.pbtxt document, for the editor's form view: set or remove one
 * field, one element of a repeated field, one map entry or a whole sub-message, changing only that
 * field's text. Everything else (comments, layout, other fields) stays byte-identical.
 *
 * Paths use proto field names: `max_batch_size`, `input[0].dims`, `dynamic_batching`,
 * `instance_group[1].kind`, `parameters["FORCE_CPU_ONLY"].string_value`, `input[2]` (index ==
 * length appends an element). Missing intermediate messages are created.
 *
 * Each edit is computed as a TextEdit (`from`/`to`/`insert` offsets into the source, directly
 * usable as a CodeMirror change); setField/removeField apply it and re-parse.
 */
import type { Diagnostic } from '../diagnostic';
import { parseDocument, type DocumentNode, type FieldNode, type MessageNode, type ScalarNode } from './cst';
import { PbtxtSyntaxError } from './errors';
import { renderForEdit, valueText } from './format';
import { ROOT_MESSAGE, mapEntryFields, messageIndex, didYouMean, type FieldDescriptor } from './schema';
import { toStringValue } from './values';

export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

export interface PathSegment {
  name: string;
  /** Element index of a repeated field, or key of a map field. */
  index?: number | string;
}

function pathError(path: string, message: string, doc?: DocumentNode): PbtxtSyntaxError {
  const d: Diagnostic = {
    severity: 'error',
    code: 'bad-path',
    message: `${path}: ${message}`,
    file: doc?.file,
    line: 1,
    column: 1,
    path,
  };
  return new PbtxtSyntaxError([d]);
}

/** Parses `a.b[0].c["key"]` into segments. */
export function parsePath(path: string): PathSegment[] {
  const segs: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    let j = i;
    while (j < path.length && /[A-Za-z0-9_]/.test(path[j])) j++;
    if (j === i) throw pathError(path, `expected a field name at offset ${i}`);
    const seg: PathSegment = { name: path.slice(i, j) };
    i = j;
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw pathError(path, "missing ']'");
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) seg.index = Number(inner);
      else if (/^".*"$/.test(inner)) {
        try {
          seg.index = JSON.parse(inner) as string;
        } catch {
          throw pathError(path, `bad map key ${inner}`);
        }
      } else seg.index = inner;
      i = close + 1;
    }
    segs.push(seg);
    if (i < path.length) {
      if (path[i] !== '.') throw pathError(path, `expected '.' at offset ${i}`);
      i++;
    }
  }
  if (!segs.length) throw pathError(path, 'empty path');
  return segs;
}

/** One element of a (possibly repeated) field as written: the field occurrence and the element node. */
interface Element {
  field: FieldNode;
  node: ScalarNode | MessageNode;
  /** Index of the item within a list, when the occurrence is a list. */
  item?: number;
}

function elementsOf(fields: FieldNode[], name: string): Element[] {
  const out: Element[] = [];
  for (const f of fields) {
    if (f.name.text !== name) continue;
    if (f.value.kind === 'list') f.value.items.forEach((it, k) => out.push({ field: f, node: it.value, item: k }));
    else out.push({ field: f, node: f.value });
  }
  return out;
}

function mapKeyOf(entry: MessageNode): string | undefined {
  const keyField = entry.fields.find((f) => f.name.text === 'key');
  if (!keyField) return '';
  if (keyField.value.kind !== 'scalar') return undefined;
  const toks = keyField.value.tokens;
  if (toks[0].kind === 'string') {
    try {
      return toStringValue(toks);
    } catch {
      return undefined;
    }
  }
  return toks.map((t) => t.text).join('');
}

/** A place fields can be inserted into: the document or a message node. */
interface Container {
  fields: FieldNode[];
  typeName: string | { key: FieldDescriptor; value: FieldDescriptor };
  message?: MessageNode;
}

function lookupField(c: Container, name: string, path: string, doc: DocumentNode): FieldDescriptor {
  if (typeof c.typeName !== 'string') {
    if (name === 'key') return c.typeName.key;
    if (name === 'value') return c.typeName.value;
    throw pathError(path, `a map entry has only "key" and "value", not "${name}"`, doc);
  }
  const idx = messageIndex(c.typeName);
  const fd = idx.byName.get(name);
  if (!fd) {
    const guess = didYouMean(name, idx.byName.keys());
    throw pathError(
      path,
      `message ${c.typeName} has no field "${name}"${guess ? `; did you mean "${guess}"?` : ''}`,
      doc,
    );
  }
  return fd;
}

// ---- text geometry -------------------------------------------------------------------------------

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indentOfLine(text: string, pos: number): string {
  const s = lineStartOf(text, pos);
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

/** True when only whitespace precedes `pos` on its line. */
function firstOnLine(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= 0 && text[i] !== '\n'; i--) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
}

/** If only whitespace and an optional comment follow `pos` on its line, the offset of that line's end. */
function restOfLineIsFree(text: string, pos: number): number | undefined {
  let i = pos;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  if (i >= text.length || text[i] === '\n') return i;
  if (text[i] === '#') {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl;
  }
  return undefined;
}

// ---- planning edits ------------------------------------------------------------------------------

/** The edit that sets `path` to `value` (a scalar, array, or plain object for a message). */
export function planSetField(doc: DocumentNode, path: string | PathSegment[], value: unknown): TextEdit {
  if (value === undefined) return planRemoveField(doc, path);
  return plan(doc, path, value);
}

/** The edit that removes `path` (a field, an element of a repeated field, or a map entry). */
export function planRemoveField(doc: DocumentNode, path: string | PathSegment[]): TextEdit {
  return plan(doc, path, undefined);
}

function plan(doc: DocumentNode, pathIn: string | PathSegment[], value: unknown): TextEdit {
  if (doc.syntaxError) throw new PbtxtSyntaxError([doc.syntaxError]);
  const segs = typeof pathIn === 'string' ? parsePath(pathIn) : pathIn;
  const pathStr =
    typeof pathIn === 'string'
      ? pathIn
      : segs.map((s) => s.name + (s.index === undefined ? '' : `[${JSON.stringify(s.index)}]`)).join('.');
  const text = doc.source;
  let c: Container = { fields: doc.fields, typeName: ROOT_MESSAGE };

  for (let si = 0; si < segs.length; si++) {
    const seg = segs[si];
    const last = si === segs.length - 1;
    const fd = lookupField(c, seg.name, pathStr, doc);
    const els = elementsOf(c.fields, seg.name);

    if (seg.index === undefined) {
      if (fd.label === 'repeated' && !last)
        throw pathError(pathStr, `"${seg.name}" is repeated: give an index or key, e.g. ${seg.name}[0]`, doc);
      if (last) {
        if (value === undefined) return removeOccurrences(text, [...new Set(els.map((e) => e.field))]);
        if (!els.length)
          return insertInto(
            text,
            doc,
            c,
            renderForEdit(
              { kind: 'field', fd, value: normalizeForField(fd, value, pathStr, doc) },
              insertionIndent(text, doc, c),
            ),
          );
        const occurrences = [...new Set(els.map((e) => e.field))];
        const first = occurrences[0];
        if (fd.label !== 'repeated' && fd.type !== 'message' && first.value.kind === 'scalar') {
          // A singular scalar: replace just the value tokens.
          return { from: first.value.start, to: first.value.end, insert: valueText(value, fd, undefined, 0) };
        }
        const rendered = renderForEdit(
          { kind: 'field', fd, value: normalizeForField(fd, value, pathStr, doc) },
          indentOfLine(text, first.start),
        );
        const edits: TextEdit[] = [{ from: first.start, to: first.end, insert: rendered }];
        for (const o of occurrences.slice(1)) edits.push(removalOf(text, o.start, o.sep ? o.sep.end : o.end));
        return merge(text, edits);
      }
      // Descend into a singular message, creating it when missing.
      if (!els.length) {
        const nested = nestValue(segs.slice(si + 1), value, pathStr, doc);
        if (nested === undefined) return { from: 0, to: 0, insert: '' };
        return insertInto(
          text,
          doc,
          c,
          renderForEdit({ kind: 'field', fd, value: nested }, insertionIndent(text, doc, c)),
        );
      }
      const node = els[els.length - 1].node;
      if (node.kind !== 'message') throw pathError(pathStr, `"${seg.name}" is not a message in the text`, doc);
      c = { fields: node.fields, typeName: fd.typeName!, message: node };
      continue;
    }

    // Indexed: element of a repeated field or entry of a map.
    if (fd.label !== 'repeated') throw pathError(pathStr, `"${seg.name}" is not repeated; it cannot be indexed`, doc);
    if (fd.map) {
      const key = String(seg.index);
      const entry = [...els].reverse().find((e) => e.node.kind === 'message' && mapKeyOf(e.node) === key);
      const entryType = mapEntryFields(fd);
      if (!entry) {
        if (value === undefined) return { from: 0, to: 0, insert: '' };
        const entryValue = last ? value : nestValue(segs.slice(si + 1), value, pathStr, doc);
        return insertInto(
          text,
          doc,
          c,
          renderForEdit({ kind: 'entry', fd, key, value: entryValue }, insertionIndent(text, doc, c)),
        );
      }
      if (last) {
        if (value === undefined) return removeElement(text, entry);
        // Replace the entry's value field.
        const ec: Container = {
          fields: (entry.node as MessageNode).fields,
          typeName: entryType,
          message: entry.node as MessageNode,
        };
        return planInContainer(doc, ec, 'value', value, pathStr);
      }
      const valueEl = elementsOf((entry.node as MessageNode).fields, 'value');
      if (!valueEl.length) {
        const nested = nestValue(segs.slice(si + 1), value, pathStr, doc);
        const ec: Container = {
          fields: (entry.node as MessageNode).fields,
          typeName: entryType,
          message: entry.node as MessageNode,
        };
        return insertInto(
          text,
          doc,
          ec,
          renderForEdit({ kind: 'field', fd: entryType.value, value: nested }, insertionIndent(text, doc, ec)),
        );
      }
      const vnode = valueEl[valueEl.length - 1].node;
      if (vnode.kind !== 'message') throw pathError(pathStr, `map "${seg.name}" has scalar values`, doc);
      c = { fields: vnode.fields, typeName: fd.typeName!, message: vnode };
      continue;
    }
    const index = seg.index;
    if (typeof index !== 'number') throw pathError(pathStr, `"${seg.name}" needs a numeric index`, doc);
    if (index > els.length)
      throw pathError(
        pathStr,
        `index ${index} is out of range ("${seg.name}" has ${els.length} element${els.length === 1 ? '' : 's'})`,
        doc,
      );
    if (index === els.length) {
      // Append a new element.
      if (value === undefined) throw pathError(pathStr, `index ${index} is out of range`, doc);
      const elementValue = last ? value : nestValue(segs.slice(si + 1), value, pathStr, doc);
      return appendElement(text, doc, c, fd, els, elementValue);
    }
    const el = els[index];
    if (last) {
      if (value === undefined) return removeElement(text, el);
      if (fd.type === 'message') {
        return {
          from: el.node.start,
          to: el.node.end,
          insert: renderForEdit(
            { kind: 'element', fd, value: normalizeForField(fd, value, pathStr, doc, true) },
            indentOfLine(text, el.node.start),
          ),
        };
      }
      return { from: el.node.start, to: el.node.end, insert: valueText(value, fd, undefined, 0) };
    }
    if (el.node.kind !== 'message') throw pathError(pathStr, `"${seg.name}[${index}]" is not a message`, doc);
    c = { fields: el.node.fields, typeName: fd.typeName!, message: el.node };
  }
  throw pathError(pathStr, 'unreachable', doc);
}

/** Sets or removes one field directly inside a known container. */
function planInContainer(doc: DocumentNode, c: Container, name: string, value: unknown, pathStr: string): TextEdit {
  const text = doc.source;
  const fd = lookupField(c, name, pathStr, doc);
  const els = elementsOf(c.fields, name);
  if (!els.length)
    return insertInto(text, doc, c, renderForEdit({ kind: 'field', fd, value }, insertionIndent(text, doc, c)));
  const f = els[els.length - 1].field;
  if (fd.type !== 'message' && f.value.kind === 'scalar')
    return { from: f.value.start, to: f.value.end, insert: valueText(value, fd, undefined, 0) };
  return { from: f.start, to: f.end, insert: renderForEdit({ kind: 'field', fd, value }, indentOfLine(text, f.start)) };
}

/** Turns the rest of a path into a nested object: ['a', 'b'], 5 -> { a: { b: 5 } }. */
function nestValue(rest: PathSegment[], value: unknown, pathStr: string, doc: DocumentNode): unknown {
  if (value === undefined) return undefined;
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const seg = rest[i];
    if (seg.index !== undefined) {
      if (typeof seg.index === 'number') {
        if (seg.index !== 0)
          throw pathError(pathStr, `cannot create element ${seg.index} of missing "${seg.name}"`, doc);
        v = { [seg.name]: [v] };
      } else v = { [seg.name]: { [seg.index]: v } };
    } else v = { [seg.name]: v };
  }
  return v;
}

function normalizeForField(
  fd: FieldDescriptor,
  value: unknown,
  pathStr: string,
  doc: DocumentNode,
  element = false,
): unknown {
  if (!element && fd.label === 'repeated' && !fd.map && !Array.isArray(value)) {
    throw pathError(pathStr, `"${fd.name}" is repeated: set it to an array`, doc);
  }
  if (
    fd.type === 'message' &&
    (element || fd.label !== 'repeated') &&
    (typeof value !== 'object' || value === null || Array.isArray(value))
  ) {
    throw pathError(pathStr, `"${fd.name}" is a message: set it to an object`, doc);
  }
  return value;
}

function insertionIndent(text: string, doc: DocumentNode, c: Container): string {
  const last = c.fields[c.fields.length - 1];
  if (last) return indentOfLine(text, last.start);
  if (c.message) return indentOfLine(text, c.message.open.start) + '  ';
  return '';
}

/** Inserts a rendered field at the end of a container, on its own line when the layout allows. */
function insertInto(text: string, doc: DocumentNode, c: Container, rendered: string): TextEdit {
  const last = c.fields[c.fields.length - 1];
  if (last) {
    const end = last.sep ? last.sep.end : last.end;
    const lineEnd = restOfLineIsFree(text, end);
    if (lineEnd !== undefined)
      return { from: lineEnd, to: lineEnd, insert: '\n' + indentOfLine(text, last.start) + rendered };
    return { from: end, to: end, insert: ' ' + rendered };
  }
  if (c.message) {
    const open = c.message.open;
    const close = c.message.close;
    const indent = indentOfLine(text, open.start);
    if (firstOnLine(text, close.start) && close.start > open.end && text.slice(open.end, close.start).includes('\n')) {
      // `x {\n}`: insert as the first line of the body.
      return { from: open.end, to: open.end, insert: '\n' + indent + '  ' + rendered };
    }
    return { from: open.end, to: close.start, insert: '\n' + indent + '  ' + rendered + '\n' + indent };
  }
  // Empty document (maybe only comments).
  const needsNewline = text.length > 0 && !text.endsWith('\n');
  return { from: text.length, to: text.length, insert: (needsNewline ? '\n' : '') + rendered + '\n' };
}

function appendElement(
  text: string,
  doc: DocumentNode,
  c: Container,
  fd: FieldDescriptor,
  els: Element[],
  value: unknown,
): TextEdit {
  const lastEl = els[els.length - 1];
  if (!lastEl) {
    return insertInto(
      text,
      doc,
      c,
      renderForEdit({ kind: 'field', fd, value: [value] }, insertionIndent(text, doc, c)),
    );
  }
  if (lastEl.item !== undefined && lastEl.field.value.kind === 'list') {
    // Append to the list: `, value` after the last item, on a new line for message lists written that way.
    const list = lastEl.field.value;
    const end = lastEl.node.end;
    const onOwnLine = firstOnLine(text, lastEl.node.start);
    const indent = indentOfLine(text, lastEl.node.start);
    const rendered =
      fd.type === 'message'
        ? renderForEdit({ kind: 'element', fd, value }, indent)
        : valueText(value, fd, undefined, 0);
    const after = list.items[list.items.length - 1].comma ? '' : ',';
    const at = list.items[list.items.length - 1].comma?.end ?? end;
    return {
      from: at,
      to: at,
      insert:
        after + (onOwnLine ? '\n' + indent : ' ') + rendered + (list.items[list.items.length - 1].comma ? ',' : ''),
    };
  }
  // Repeated-field style (`input { }` occurrences): add another occurrence after the last one.
  const f = lastEl.field;
  const end = f.sep ? f.sep.end : f.end;
  const indent = indentOfLine(text, f.start);
  const body =
    fd.type === 'message' ? renderForEdit({ kind: 'element', fd, value }, indent) : valueText(value, fd, undefined, 0);
  const rendered = fd.type === 'message' ? `${fd.name} ${body}` : `${fd.name}: ${body}`;
  const lineEnd = restOfLineIsFree(text, end);
  if (lineEnd !== undefined) return { from: lineEnd, to: lineEnd, insert: '\n' + indent + rendered };
  return { from: end, to: end, insert: ' ' + rendered };
}

/** Removal of [from, to): whole lines when the span is alone on its lines, else the span and following spaces. */
function removalOf(text: string, from: number, to: number): TextEdit {
  const lineEnd = restOfLineIsFree(text, to);
  if (firstOnLine(text, from) && lineEnd !== undefined) {
    const start = lineStartOf(text, from);
    const end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    return { from: start, to: end, insert: '' };
  }
  let end = to;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { from, to: end, insert: '' };
}

function removeOccurrences(text: string, fields: FieldNode[]): TextEdit {
  if (!fields.length) return { from: 0, to: 0, insert: '' };
  return merge(
    text,
    fields.map((f) => removalOf(text, f.start, f.sep ? f.sep.end : f.end)),
  );
}

function removeElement(text: string, el: Element): TextEdit {
  if (el.item === undefined || el.field.value.kind !== 'list') {
    const f = el.field;
    return removalOf(text, f.start, f.sep ? f.sep.end : f.end);
  }
  const list = el.field.value;
  const item = list.items[el.item];
  if (item.comma) {
    // `a, b`: remove `a,` and the space or line break after it.
    const r = removalOf(text, item.value.start, item.comma.end);
    return r;
  }
  if (el.item > 0) {
    // Last item: remove from the previous item's comma.
    const prev = list.items[el.item - 1];
    return { from: prev.comma!.start, to: item.value.end, insert: '' };
  }
  return { from: item.value.start, to: item.value.end, insert: '' };
}

/** Combines non-overlapping edits into one covering edit. */
function merge(text: string, edits: TextEdit[]): TextEdit {
  if (edits.length === 1) return edits[0];
  const sorted = [...edits].sort((a, b) => a.from - b.from);
  const from = sorted[0].from;
  const to = Math.max(...sorted.map((e) => e.to));
  let insert = '';
  let pos = from;
  for (const e of sorted) {
    insert += text.slice(pos, e.from) + e.insert;
    pos = e.to;
  }
  insert += text.slice(pos, to);
  return { from, to, insert };
}

export function applyTextEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
}

/** Sets `path` to `value` and returns the re-parsed document (value undefined removes the field). */
export function setField(doc: DocumentNode, path: string | PathSegment[], value: unknown): DocumentNode {
  return parseDocument(applyTextEdit(doc.source, planSetField(doc, path, value)), doc.file);
}

/** Removes `path` and returns the re-parsed document. */
export function removeField(doc: DocumentNode, path: string | PathSegment[]): DocumentNode {
  return parseDocument(applyTextEdit(doc.source, planRemoveField(doc, path)), doc.file);
}
