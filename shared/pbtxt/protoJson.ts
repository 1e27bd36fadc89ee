/**
 * The proto3 canonical JSON mapping of ModelConfig, both ways.
 *
 * toProtoJson writes what protobuf's reference implementation writes: lowerCamelCase names, enum
 * names, 64-bit integers as strings, NaN/Infinity as strings, fields with their default value
 * omitted (except oneof members, which have presence), sub-messages present even when empty.
 *
 * fromProtoJson is lenient where Triton is (field names in proto or lowerCamelCase form, 64-bit
 * integers as numbers or strings, enum names in any case, enum numbers) and strict elsewhere:
 * unknown fields, wrong types and out-of-range integers are errors, all reported at once.
 */
import type { Diagnostic } from '../diagnostic';
import type { ModelConfig } from '../triton/modelConfigSchema';
import { PbtxtSyntaxError } from './errors';
import {
  INT_RANGES,
  ROOT_MESSAGE,
  didYouMean,
  enumIndex,
  is64BitType,
  isIntegerType,
  messageIndex,
  type FieldDescriptor,
  type ScalarType,
} from './schema';
import { integerText, rememberExactInteger } from './exactIntegers';
import { canonicalFloat32 } from './values';

type Obj = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function toProtoJson(
  config: ModelConfig | Record<string, unknown>,
  typeName = ROOT_MESSAGE,
): Record<string, Json> {
  return messageToJson(config as Obj, typeName);
}

/**
 * JSON text of a toProtoJson result, laid out like `JSON.stringify(json, null, indent)` but keeping
 * the sign of -0 (protobuf's JSON writes -0.0 for a negative zero float; JSON.stringify writes 0).
 */
export function stringifyProtoJson(json: Json, indent = 2, margin = ''): string {
  if (typeof json === 'number') return Object.is(json, -0) ? '-0' : JSON.stringify(json);
  if (json === null || typeof json !== 'object') return JSON.stringify(json);
  const inner = margin + ' '.repeat(indent);
  const parts = Array.isArray(json)
    ? json.map((v) => inner + stringifyProtoJson(v, indent, inner))
    : Object.entries(json).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyProtoJson(v, indent, inner)}`);
  const [open, close] = Array.isArray(json) ? ['[', ']'] : ['{', '}'];
  return parts.length ? `${open}\n${parts.join(',\n')}\n${margin}${close}` : open + close;
}

function messageToJson(obj: Obj, typeName: string): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const fd of messageIndex(typeName).desc.fields) {
    const v = obj[fd.name];
    if (v === undefined || v === null) continue;
    if (fd.map) {
      const entries = Object.entries(v as Obj);
      if (!entries.length) continue;
      const m: { [k: string]: Json } = {};
      for (const [k, ev] of entries) {
        const jv = valueToJson(ev, fd, v, k);
        if (k === '__proto__')
          Object.defineProperty(m, k, { value: jv, enumerable: true, writable: true, configurable: true });
        else m[k] = jv;
      }
      out[fd.jsonName] = m;
    } else if (fd.label === 'repeated') {
      const arr = v as unknown[];
      if (!arr.length) continue;
      out[fd.jsonName] = arr.map((e, i) => valueToJson(e, fd, arr, i));
    } else {
      if (fd.type !== 'message' && !fd.oneof && isDefaultScalar(v, fd)) continue;
      out[fd.jsonName] = valueToJson(v, fd, obj, fd.name);
    }
  }
  return out;
}

function isDefaultScalar(v: unknown, fd: FieldDescriptor): boolean {
  if (fd.type === 'enum') return v === 0 || v === enumIndex(fd.typeName!).zeroName;
  return v === 0 ? !Object.is(v, -0) : v === '' || v === false;
}

function valueToJson(v: unknown, fd: FieldDescriptor, container: object, key: string | number): Json {
  switch (fd.type) {
    case 'message':
      return messageToJson(v as Obj, fd.typeName!);
    case 'enum':
      return typeof v === 'number' ? (enumIndex(fd.typeName!).byNumber.get(v) ?? v) : (v as string);
    case 'float':
    case 'double': {
      const n = v as number;
      if (Number.isNaN(n)) return 'NaN';
      if (n === Infinity) return 'Infinity';
      if (n === -Infinity) return '-Infinity';
      return n;
    }
    default:
      if (is64BitType(fd.type)) return typeof v === 'bigint' ? v.toString() : integerText(container, key, v as number);
      return v as Json;
  }
}

export interface FromJsonOptions {
  file?: string;
}

/** Builds a typed ModelConfig from proto3 JSON (object or text); throws PbtxtSyntaxError listing every problem. */
export function fromProtoJson(json: unknown, options: FromJsonOptions = {}): ModelConfig {
  const diagnostics: Diagnostic[] = [];
  const file = options.file;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (err) {
      const text = json as string;
      const m = /position (\d+)/.exec(String((err as Error).message));
      const offset = m ? Math.min(Number(m[1]), text.length) : 0;
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      throw new PbtxtSyntaxError([
        {
          severity: 'error',
          code: 'json-syntax',
          message: `Invalid JSON: ${(err as Error).message}`,
          file,
          line,
          column,
        },
      ]);
    }
  }
  const fail = (path: string, code: string, message: string) => {
    diagnostics.push({
      severity: 'error',
      code,
      message: path ? `${path}: ${message}` : message,
      file,
      line: 1,
      column: 1,
      ...(path ? { path } : {}),
    });
  };

  function message(v: unknown, typeName: string, path: string): Obj | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      fail(path, 'wrong-type', `expected a JSON object for message ${typeName}, got ${jsonKind(v)}`);
      return undefined;
    }
    const idx = messageIndex(typeName);
    const out: Obj = {};
    const seenOneof = new Map<string, string>();
    for (const [key, raw] of Object.entries(v as Obj)) {
      const fd = idx.byName.get(key) ?? idx.byJsonName.get(key);
      const fpath = path ? `${path}.${key}` : key;
      if (!fd) {
        const guess = didYouMean(key, [...idx.byName.keys()]);
        fail(
          fpath,
          'unknown-field',
          `message ${typeName} has no field named "${key}"${guess ? `; did you mean "${guess}"?` : ''}`,
        );
        continue;
      }
      if (raw === null) continue;
      if (fd.name in out) {
        fail(fpath, 'duplicate-field', `field "${fd.name}" is given twice (as "${fd.name}" and "${fd.jsonName}")`);
        continue;
      }
      if (fd.oneof) {
        const other = seenOneof.get(fd.oneof);
        if (other) {
          fail(
            fpath,
            'oneof-conflict',
            `"${fd.name}" and "${other}" are both set, but they are members of oneof "${fd.oneof}"`,
          );
          continue;
        }
        seenOneof.set(fd.oneof, fd.name);
      }
      const value = field(raw, fd, path ? `${path}.${fd.name}` : fd.name);
      if (value !== undefined) out[fd.name] = value;
      keepExact(out, fd.name, raw, value);
    }
    return out;
  }

  function field(raw: unknown, fd: FieldDescriptor, path: string): unknown {
    if (fd.map) {
      if (typeof raw !== 'object' || Array.isArray(raw)) {
        fail(path, 'wrong-type', `expected a JSON object for map field "${fd.name}", got ${jsonKind(raw)}`);
        return undefined;
      }
      const out: Obj = {};
      for (const [k, ev] of Object.entries(raw as Obj)) {
        let key = k;
        if (isIntegerType(fd.map.keyType)) {
          const n = integer(k, fd.map.keyType, `${path}[${JSON.stringify(k)}]`, 'map key');
          if (n === undefined) continue;
          key = typeof k === 'string' && /^-?\d+$/.test(k) ? BigInt(k).toString() : String(n);
        }
        const value = single(ev, fd, `${path}[${JSON.stringify(k)}]`);
        if (value === undefined) continue;
        if (key === '__proto__')
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    if (fd.label === 'repeated') {
      if (!Array.isArray(raw)) {
        fail(path, 'wrong-type', `expected a JSON array for repeated field "${fd.name}", got ${jsonKind(raw)}`);
        return undefined;
      }
      const out: unknown[] = [];
      raw.forEach((e, i) => {
        const value = single(e, fd, `${path}[${i}]`);
        if (value === undefined) return;
        keepExact(out, out.length, e, value);
        out.push(value);
      });
      return out;
    }
    return single(raw, fd, path);
  }

  function single(raw: unknown, fd: FieldDescriptor, path: string): unknown {
    if (raw === null) {
      fail(path, 'wrong-type', `null is not allowed as an element of "${fd.name}"`);
      return undefined;
    }
    switch (fd.type) {
      case 'message':
        return message(raw, fd.typeName!, path);
      case 'enum': {
        const e = enumIndex(fd.typeName!);
        if (typeof raw === 'string') {
          const name = e.byUpperName.get(raw.toUpperCase());
          if (name) return name;
          const guess = didYouMean(raw, e.byName.keys());
          fail(
            path,
            'bad-enum',
            `unknown value "${raw}" of enum ${fd.typeName}${guess ? `; did you mean "${guess}"?` : ''}; valid values: ${e.desc.values.map((x) => x.name).join(', ')}`,
          );
          return undefined;
        }
        // proto3 enums are open: an int32 that names no value is kept as a number, as protobuf does.
        if (typeof raw === 'number' && Number.isInteger(raw) && raw >= -(2 ** 31) && raw < 2 ** 31)
          return e.byNumber.get(raw) ?? raw;
        fail(
          path,
          'bad-enum',
          `expected an enum name of ${fd.typeName} (${e.desc.values.map((x) => x.name).join(', ')}), got ${JSON.stringify(raw)}`,
        );
        return undefined;
      }
      case 'string':
      case 'bytes':
        if (typeof raw === 'string') return raw;
        fail(path, 'wrong-type', `expected a string, got ${jsonKind(raw)}`);
        return undefined;
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        fail(path, 'wrong-type', `expected true or false, got ${jsonKind(raw)}`);
        return undefined;
      case 'float':
      case 'double': {
        let n: number | undefined;
        if (typeof raw === 'number') n = raw;
        else if (raw === 'NaN') n = NaN;
        else if (raw === 'Infinity') n = Infinity;
        else if (raw === '-Infinity') n = -Infinity;
        else if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) n = Number(raw);
        if (n === undefined) {
          fail(path, 'wrong-type', `expected a number, got ${jsonKind(raw)}`);
          return undefined;
        }
        return fd.type === 'float' ? canonicalFloat32(n) : n;
      }
      default:
        return integer(raw, fd.type, path, 'value');
    }
  }

  function integer(raw: unknown, type: ScalarType, path: string, what: string): number | undefined {
    const range = INT_RANGES[type]!;
    let big: bigint | undefined;
    if (typeof raw === 'number' && Number.isInteger(raw)) {
      // Compare as numbers: an unsafe number stands for a rounded value (2^64-1 reads as 2^64).
      if (raw >= Number(range.min) && raw <= Number(range.max)) return raw === 0 ? 0 : raw;
      big = BigInt(raw);
    } else if (typeof raw === 'string' && /^-?\d+$/.test(raw)) big = BigInt(raw);
    if (big === undefined) {
      fail(path, 'wrong-type', `expected an integer ${what} (${type}), got ${jsonKind(raw)}`);
      return undefined;
    }
    if (big < range.min || big > range.max) {
      fail(path, 'out-of-range', `${what} ${big} is out of range for ${type} (${range.min}..${range.max})`);
      return undefined;
    }
    return Number(big);
  }

  const result = message(json, ROOT_MESSAGE, '');
  if (diagnostics.length || !result) throw new PbtxtSyntaxError(diagnostics);
  return result;
}

/** Integers given as JSON strings beyond 2^53 keep their exact text (see exactIntegers). */
function keepExact(container: object, key: string | number, raw: unknown, value: unknown): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && typeof raw === 'string' && /^-?\d+$/.test(raw)) {
    rememberExactInteger(container, key, BigInt(raw).toString());
  }
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
  // Objects and strings were described above: what is left prints itself.
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${v}`;
  return typeof v;
}
