/**
 * Lookup helpers over the generated ModelConfig descriptors: fields by proto name and by JSON
 * name, enum values by name and number, integer ranges, and "did you mean" suggestions.
 */
import {
  ENUMS,
  MESSAGES,
  ROOT_MESSAGE,
  type EnumDescriptor,
  type FieldDescriptor,
  type MessageDescriptor,
  type ScalarType,
} from '../triton/modelConfigSchema';

export { ROOT_MESSAGE };
export type { EnumDescriptor, FieldDescriptor, MessageDescriptor, ScalarType };

export interface MessageIndex {
  desc: MessageDescriptor;
  byName: Map<string, FieldDescriptor>;
  byJsonName: Map<string, FieldDescriptor>;
}

export interface EnumIndex {
  desc: EnumDescriptor;
  byName: Map<string, number>;
  byUpperName: Map<string, string>;
  byNumber: Map<number, string>;
  /** Name of the value numbered 0 (the proto3 default). */
  zeroName: string;
}

const messageCache = new Map<string, MessageIndex>();
const enumCache = new Map<string, EnumIndex>();

export function messageIndex(fullName: string): MessageIndex {
  let idx = messageCache.get(fullName);
  if (!idx) {
    const desc = MESSAGES[fullName];
    if (!desc) throw new Error(`unknown message type ${fullName}`);
    idx = {
      desc,
      byName: new Map(desc.fields.map((f) => [f.name, f])),
      byJsonName: new Map(desc.fields.map((f) => [f.jsonName, f])),
    };
    messageCache.set(fullName, idx);
  }
  return idx;
}

export function enumIndex(fullName: string): EnumIndex {
  let idx = enumCache.get(fullName);
  if (!idx) {
    const desc = ENUMS[fullName];
    if (!desc) throw new Error(`unknown enum type ${fullName}`);
    const byNumber = new Map<number, string>();
    // With aliases the first name of a number is the canonical one.
    for (const v of desc.values) if (!byNumber.has(v.number)) byNumber.set(v.number, v.name);
    idx = {
      desc,
      byName: new Map(desc.values.map((v) => [v.name, v.number])),
      byUpperName: new Map(desc.values.map((v) => [v.name.toUpperCase(), v.name])),
      byNumber,
      zeroName: byNumber.get(0) ?? desc.values[0].name,
    };
    enumCache.set(fullName, idx);
  }
  return idx;
}

export const INT_RANGES: Partial<Record<ScalarType, { min: bigint; max: bigint; signed: boolean; bits: 32 | 64 }>> = {
  int32: { min: -(2n ** 31n), max: 2n ** 31n - 1n, signed: true, bits: 32 },
  sint32: { min: -(2n ** 31n), max: 2n ** 31n - 1n, signed: true, bits: 32 },
  sfixed32: { min: -(2n ** 31n), max: 2n ** 31n - 1n, signed: true, bits: 32 },
  uint32: { min: 0n, max: 2n ** 32n - 1n, signed: false, bits: 32 },
  fixed32: { min: 0n, max: 2n ** 32n - 1n, signed: false, bits: 32 },
  int64: { min: -(2n ** 63n), max: 2n ** 63n - 1n, signed: true, bits: 64 },
  sint64: { min: -(2n ** 63n), max: 2n ** 63n - 1n, signed: true, bits: 64 },
  sfixed64: { min: -(2n ** 63n), max: 2n ** 63n - 1n, signed: true, bits: 64 },
  uint64: { min: 0n, max: 2n ** 64n - 1n, signed: false, bits: 64 },
  fixed64: { min: 0n, max: 2n ** 64n - 1n, signed: false, bits: 64 },
};

export function isIntegerType(t: string): boolean {
  return t in INT_RANGES;
}
export function is64BitType(t: string): boolean {
  return INT_RANGES[t as ScalarType]?.bits === 64;
}

/** Human description of a field's type for messages: `int32`, `enum inference.DataType`, `message inference.ModelInput`. */
export function describeFieldType(f: FieldDescriptor): string {
  const base = f.type === 'message' ? `message ${f.typeName}` : f.type === 'enum' ? `enum ${f.typeName}` : f.type;
  if (f.map) return `map<${f.map.keyType}, ${f.type === 'message' || f.type === 'enum' ? f.typeName : f.type}>`;
  return f.label === 'repeated' ? `repeated ${base}` : base;
}

/**
 * Edit distance counting insertions, deletions, substitutions and adjacent transpositions
 * (optimal string alignment), so `FP23` is one edit from `FP32`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const ca = a.charCodeAt(i - 1);
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

/**
 * The closest candidate to a misspelt name, if it is close enough to be a plausible typo. Case and
 * camelCase/snake_case differences count as exact matches (`maxBatchSize` -> `max_batch_size`).
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.replace(/_/g, '').toLowerCase();
  const n = norm(name);
  let best: string | undefined;
  let bestDist = Infinity;
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const c of candidates) {
    if (norm(c) === n) return c;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), limit);
    if (d <= limit && d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** The synthetic `key` and `value` fields of a map field's entries. */
export function mapEntryFields(fd: FieldDescriptor): { key: FieldDescriptor; value: FieldDescriptor } {
  return {
    key: { name: 'key', jsonName: 'key', number: 1, type: fd.map!.keyType, label: 'optional' },
    value: { name: 'value', jsonName: 'value', number: 2, type: fd.type, typeName: fd.typeName, label: 'optional' },
  };
}
