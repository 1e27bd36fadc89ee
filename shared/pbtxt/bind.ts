/**
 * Binds a concrete syntax tree to the ModelConfig schema: resolves field names, checks value kinds
 * and ranges, and builds the typed view (plain objects with proto field names, enums as names,
 * 64-bit integers as numbers, maps as records). Errors are collected, not thrown, so one pass
 * reports every unknown field, bad enum and out-of-range value with its position.
 *
 * It also records where each field came from (see `SourceMap`), which semantic validation and the
 * edit helpers use to point at the right text.
 */
import type { Diagnostic } from '../diagnostic';
import type { DocumentNode, FieldNode, MessageNode, ScalarNode } from './cst';
import type { Token } from './lexer';
import {
  ROOT_MESSAGE,
  describeFieldType,
  didYouMean,
  enumIndex,
  is64BitType,
  isIntegerType,
  mapEntryFields,
  messageIndex,
  type FieldDescriptor,
  type ScalarType,
} from './schema';
import { rememberExactInteger, integerText } from './exactIntegers';
import { ValueError, exactIntegerText, toBool, toFloat, toInteger, toStringValue } from './values';

/** Where one value of a field was written. For a singular field there is one; for repeated fields one per element. */
export interface ElementSource {
  field: FieldNode;
  /** The scalar or message node of this element (for a list, the list item). */
  node: ScalarNode | MessageNode;
  /** Map key of this entry, for map fields. */
  key?: string;
}

/** Per typed message object: field name -> where its values were written, in text order. */
export type MessageSource = Record<string, ElementSource[]>;

export class SourceMap {
  private readonly map = new WeakMap<object, MessageSource>();
  constructor(readonly doc: DocumentNode) {}
  set(obj: object, src: MessageSource): void {
    this.map.set(obj, src);
  }
  /** Where `obj[field]` (element `index` if repeated, entry `key` if a map) was written. */
  find(obj: object | undefined, field: string, index?: number | string): ElementSource | undefined {
    if (!obj) return undefined;
    const els = this.map.get(obj)?.[field];
    if (!els || !els.length) return undefined;
    if (typeof index === 'string') {
      for (let i = els.length - 1; i >= 0; i--) if (els[i].key === index) return els[i];
      return undefined;
    }
    if (index === undefined) return els[els.length - 1];
    return els[index];
  }
  /** All elements of a field (e.g. every `input`). */
  all(obj: object | undefined, field: string): ElementSource[] {
    return (obj && this.map.get(obj)?.[field]) || [];
  }
}

export interface BindResult {
  value?: Record<string, unknown>;
  diagnostics: Diagnostic[];
  sources: SourceMap;
}

type Obj = Record<string, unknown>;

/** Defines a key without tripping over `__proto__` in user-controlled map keys. */
function setKey(obj: Obj, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function bindDocument(doc: DocumentNode, rootType = ROOT_MESSAGE): BindResult {
  const sources = new SourceMap(doc);
  const diagnostics: Diagnostic[] = [];
  const file = doc.file;
  if (doc.syntaxError) return { diagnostics: [listOnNonRepeatedField(doc) ?? doc.syntaxError], sources };

  const report = (
    start: number,
    end: number,
    code: string,
    message: string,
    path?: string,
    severity: 'error' | 'warning' = 'error',
  ) => {
    const a = doc.lines.position(start);
    const b = doc.lines.position(end);
    const d: Diagnostic = {
      severity,
      code,
      message,
      file,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
    };
    if (path) d.path = path;
    diagnostics.push(d);
  };
  const reportToken = (t: Token, code: string, message: string, path?: string) =>
    report(t.start, t.end, code, message, path);

  function bindMessage(fields: FieldNode[], typeName: string, path: string): Obj {
    const idx = messageIndex(typeName);
    const obj: Obj = {};
    const src: MessageSource = {};
    // oneof name -> the field that set it
    let oneofSeen: Map<string, FieldNode> | undefined;
    // latest occurrence of each singular field, for duplicate reports
    const lastSeen = new Map<string, FieldNode>();
    for (const f of fields) {
      const name = f.name.text;
      const fd = idx.byName.get(name);
      const fpath = path ? `${path}.${name}` : name;
      if (!fd) {
        const guess = didYouMean(name, idx.byName.keys());
        reportToken(
          f.name,
          'unknown-field',
          `Message type "${typeName}" has no field named "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`,
          fpath,
        );
        continue;
      }
      const seen = fd.label !== 'repeated' ? lastSeen.get(name) : undefined;
      if (seen) {
        // protobuf refuses a second occurrence only when the field already has presence: a set
        // message, or a scalar whose earlier value is not the default (Triton's test scripts rely on
        // appending `max_batch_size: 8` after `max_batch_size: 0`).
        const where = doc.lines.position(seen.name.start);
        if (hasPresence(obj[name], fd)) {
          reportToken(
            f.name,
            'duplicate-field',
            `Non-repeated field "${name}" is specified multiple times (first at line ${where.line}:${where.column})`,
            fpath,
          );
          continue;
        }
        report(
          f.name.start,
          f.name.end,
          'duplicate-field',
          `Non-repeated field "${name}" is specified more than once (first at line ${where.line}:${where.column}); protobuf accepts it because the earlier value is the default, and the later value wins`,
          fpath,
          'warning',
        );
      }
      if (fd.oneof) {
        oneofSeen ??= new Map();
        const other = oneofSeen.get(fd.oneof);
        if (other && other.name.text !== name) {
          const where = doc.lines.position(other.name.start);
          reportToken(
            f.name,
            'oneof-conflict',
            `Field "${name}" is specified along with field "${other.name.text}" (line ${where.line}:${where.column}), another member of oneof "${fd.oneof}"; only one of ${Object.values(idx.desc.oneofs[fd.oneof]).join(', ')} may be set`,
            fpath,
          );
          continue;
        }
        oneofSeen.set(fd.oneof, f);
      }
      if (fd.label !== 'repeated') lastSeen.set(name, f);
      bindField(obj, src, f, fd, fpath);
    }
    sources.set(obj, src);
    return obj;
  }

  function bindField(obj: Obj, src: MessageSource, f: FieldNode, fd: FieldDescriptor, fpath: string): void {
    const v = f.value;
    const isMessage = fd.type === 'message' || !!fd.map;
    if (v.kind === 'list' && fd.label !== 'repeated') {
      report(v.open.start, v.open.end, 'wrong-type', notRepeatedMessage(fd), fpath);
      return;
    }
    if (!isMessage && v.kind === 'message') {
      report(
        v.open.start,
        v.open.end,
        'wrong-type',
        `Field "${fd.name}" is a ${fd.type === 'enum' ? `enum (${fd.typeName})` : fd.type}, not a message: write ${fd.name}: value`,
        fpath,
      );
      return;
    }
    if (!isMessage && !f.colon) {
      // protobuf requires `name: value` for scalars, including lists of scalars.
      report(
        f.name.end,
        v.start,
        'missing-colon',
        `Expected ':' between field name "${fd.name}" and its value (${describeFieldType(fd)})`,
        fpath,
      );
      return;
    }
    const items: (ScalarNode | MessageNode)[] = v.kind === 'list' ? v.items.map((i) => i.value) : [v];
    const elements = (src[fd.name] ??= []);
    let arr: unknown[] | undefined;
    let map: Obj | undefined;
    if (fd.map) map = (obj[fd.name] as Obj | undefined) ?? (obj[fd.name] = {});
    else if (fd.label === 'repeated') arr = (obj[fd.name] as unknown[] | undefined) ?? (obj[fd.name] = []);
    for (const node of items) {
      const index = arr ? arr.length : undefined;
      const epath = index !== undefined ? `${fpath}[${index}]` : fpath;
      if (fd.map) {
        const entry = bindMapEntry(node, fd, fpath);
        if (!entry) continue;
        if (Object.prototype.hasOwnProperty.call(map!, entry.key)) {
          report(
            node.start,
            node.end,
            'duplicate-map-key',
            `Duplicate key ${JSON.stringify(entry.key)} in map "${fd.name}": the later entry wins`,
            `${fpath}[${JSON.stringify(entry.key)}]`,
            'warning',
          );
        }
        setKey(map!, entry.key, entry.value);
        elements.push({ field: f, node, key: entry.key });
        continue;
      }
      const value = bindValue(node, fd, epath);
      if (value === undefined) continue;
      if (arr) arr.push(value);
      else obj[fd.name] = value;
      if (typeof value === 'number' && !Number.isSafeInteger(value) && is64BitType(fd.type)) {
        rememberExactInteger(arr ?? obj, arr ? index! : fd.name, exactIntegerText((node as ScalarNode).tokens));
      }
      elements.push({ field: f, node });
    }
  }

  function bindValue(node: ScalarNode | MessageNode, fd: FieldDescriptor, path: string): unknown {
    if (fd.type === 'message') {
      if (node.kind !== 'message') {
        report(
          node.start,
          node.end,
          'wrong-type',
          `Field "${fd.name}" is a message (${fd.typeName}): write ${fd.name} { ... } instead of a scalar value`,
          path,
        );
        return undefined;
      }
      return bindMessage(node.fields, fd.typeName!, path);
    }
    if (node.kind === 'message') {
      report(
        node.open.start,
        node.open.end,
        'wrong-type',
        `Field "${fd.name}" is a ${fd.type === 'enum' ? `enum (${fd.typeName})` : fd.type}, not a message: write ${fd.name}: value`,
        path,
      );
      return undefined;
    }
    try {
      return scalarValue(node, fd);
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      const t = err.token ?? node.tokens[0];
      report(t.start, t.end, err.code, `Field "${fd.name}": ${err.message}`, path);
      return undefined;
    }
  }

  function scalarValue(node: ScalarNode, fd: FieldDescriptor): unknown {
    const toks = node.tokens;
    switch (fd.type) {
      case 'string':
        return toStringValue(toks);
      case 'bytes':
        return toStringValue(toks);
      case 'bool':
        return toBool(toks);
      case 'float':
      case 'double':
        return toFloat(toks, fd.type);
      case 'enum':
        return enumValue(toks, fd);
      default:
        if (isIntegerType(fd.type)) {
          return toInteger(toks, fd.type as ScalarType);
        }
        throw new ValueError(`Unsupported field type ${fd.type}`);
    }
  }

  function enumValue(toks: Token[], fd: FieldDescriptor): string | number {
    const e = enumIndex(fd.typeName!);
    const tok = toks[toks.length - 1];
    const valid = () => e.desc.values.map((v) => v.name).join(', ');
    if (toks.length === 1 && tok.kind === 'ident') {
      if (e.byName.has(tok.text)) return tok.text;
      const guess = didYouMean(tok.text, e.byName.keys());
      throw new ValueError(
        `Unknown enumeration value "${tok.text}" of ${fd.typeName}.${guess ? ` Did you mean "${guess}"?` : ''} Valid values: ${valid()}`,
        tok,
        'bad-enum',
      );
    }
    if (tok.kind === 'int') {
      const n = toInteger(toks, 'int32');
      // proto3 enums are open: a number that names no value is kept as that number (the semantic
      // checks report it, as Triton's validation refuses it).
      return e.byNumber.get(n) ?? n;
    }
    throw new ValueError(
      `Expected an enumeration value of ${fd.typeName} (${valid()}), found ${toks.map((t) => t.text).join('')}`,
      tok,
      'bad-enum',
    );
  }

  function bindMapEntry(
    node: ScalarNode | MessageNode,
    fd: FieldDescriptor,
    fpath: string,
  ): { key: string; value: unknown } | undefined {
    if (node.kind !== 'message') {
      report(
        node.start,
        node.end,
        'wrong-type',
        `Field "${fd.name}" is a map (${describeFieldType(fd)}): write ${fd.name} { key: ... value: ... }`,
        fpath,
      );
      return undefined;
    }
    const { key: keyFd, value: valueFd } = mapEntryFields(fd);
    let keyNode: FieldNode | undefined;
    let valueNode: FieldNode | undefined;
    let ok = true;
    for (const f of node.fields) {
      const n = f.name.text;
      if (n !== 'key' && n !== 'value') {
        const guess = didYouMean(n, ['key', 'value']);
        reportToken(
          f.name,
          'unknown-field',
          `Map entry of "${fd.name}" has no field named "${n}"; it has only "key" and "value".${guess ? ` Did you mean "${guess}"?` : ''}`,
          fpath,
        );
        ok = false;
        continue;
      }
      if ((n === 'key' && keyNode) || (n === 'value' && valueNode)) {
        reportToken(
          f.name,
          'duplicate-field',
          `Non-repeated field "${n}" is specified multiple times in a map entry of "${fd.name}"`,
          fpath,
        );
        ok = false;
        continue;
      }
      if (n === 'key') keyNode = f;
      else valueNode = f;
    }
    let key: unknown = fd.map!.keyType === 'string' ? '' : fd.map!.keyType === 'bool' ? false : 0;
    if (keyNode) {
      const tmp: Obj = {};
      const before = diagnostics.length;
      bindField(tmp, {}, keyNode, keyFd, `${fpath}.key`);
      if (diagnostics.length > before) ok = false;
      else key = typeof tmp.key === 'number' ? integerText(tmp, 'key', tmp.key) : tmp.key;
    }
    const keyStr = String(key);
    const vpath = `${fpath}[${JSON.stringify(keyStr)}]`;
    let value: unknown;
    if (valueNode) {
      const tmp: Obj = {};
      const tmpSrc: MessageSource = {};
      const before = diagnostics.length;
      bindField(tmp, tmpSrc, valueNode, valueFd, vpath);
      if (diagnostics.length > before) ok = false;
      else value = tmp.value;
    }
    if (value === undefined) value = defaultMapValue(valueFd);
    return ok ? { key: keyStr, value } : undefined;
  }

  const value = bindMessage(doc.fields, rootType, '');
  return { value, diagnostics, sources };
}

function notRepeatedMessage(fd: FieldDescriptor): string {
  const why = `field "${fd.name}" is not repeated (${describeFieldType(fd)})`;
  return fd.type === 'message'
    ? `Expected "{", found "[": ${why}; write ${fd.name} { ... }`
    : `Field "${fd.name}" is not repeated (${describeFieldType(fd)}): a list [ ... ] is not allowed`;
}

/**
 * protobuf parses and checks in one pass, so a `[` after a non-repeated field is its first error
 * even when the list's content is also broken. Finds such a list opened before the syntax error.
 */
function listOnNonRepeatedField(doc: DocumentNode): Diagnostic | undefined {
  const err = doc.syntaxError!;
  for (const { open, path } of doc.listsBeforeError ?? []) {
    const at = doc.lines.position(open.start);
    if (at.line > err.line || (at.line === err.line && at.column >= err.column)) break;
    let typeName: string | undefined = ROOT_MESSAGE;
    let fd: FieldDescriptor | undefined;
    for (const name of path) {
      fd = typeName ? messageIndex(typeName).byName.get(name) : undefined;
      typeName = fd?.type === 'message' && !fd.map ? fd.typeName : undefined;
      if (!fd) break;
    }
    if (!fd || fd.label === 'repeated' || fd.map) continue;
    const end = doc.lines.position(open.end);
    return {
      severity: 'error',
      code: 'wrong-type',
      message: notRepeatedMessage(fd),
      file: doc.file,
      line: at.line,
      column: at.column,
      endLine: end.line,
      endColumn: end.column,
      path: path.join('.'),
    };
  }
  return undefined;
}

/** Whether a singular field's current value has presence in proto3 (explicit for messages and oneof members). */
function hasPresence(v: unknown, fd: FieldDescriptor): boolean {
  if (v === undefined) return false;
  if (fd.type === 'message' || fd.map || fd.oneof) return true;
  if (fd.type === 'enum') return v !== 0 && v !== enumIndex(fd.typeName!).zeroName;
  if (typeof v === 'number') return !Object.is(v, 0); // -0.0 has presence (its bits are not zero)
  return v !== '' && v !== false;
}

function defaultMapValue(fd: FieldDescriptor): unknown {
  switch (fd.type) {
    case 'message':
      return {};
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'enum':
      return enumIndex(fd.typeName!).zeroName;
    default:
      return 0;
  }
}
