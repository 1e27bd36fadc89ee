/**
 * A small ONNX graph builder: describe inputs, outputs, nodes and constant tensors in plain
 * objects and get the bytes of a `.onnx` file back. It exists so the demo lane model and the
 * server tests can make real ONNX models without Python or a download; it encodes our own
 * `onnx.proto` subset (same field numbers as ONNX) with protobufjs.
 *
 * Attribute values are typed from their JavaScript value: integer numbers become INT, other
 * numbers FLOAT, strings STRING, arrays INTS / FLOATS / STRINGS. Where that guess is wrong (a float
 * attribute whose value happens to be whole, e.g. `alpha: 1`) wrap it: `attr.float(1)`,
 * `attr.floats([1, 2])`, `attr.ints([])`, `attr.tensor({...})`, `attr.graph({...})`.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

export type OnnxElemType =
  | 'float'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'string'
  | 'bool'
  | 'float16'
  | 'double'
  | 'uint32'
  | 'uint64'
  | 'bfloat16';

/** TensorProto.DataType numbers, as in onnx.proto. */
export const ONNX_DATA_TYPE: Readonly<Record<OnnxElemType, number>> = {
  float: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  double: 11,
  uint32: 12,
  uint64: 13,
  bfloat16: 16,
};

const BYTES_PER_ELEMENT: Readonly<Record<Exclude<OnnxElemType, 'string'>, number>> = {
  float: 4,
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  int32: 4,
  int64: 8,
  bool: 1,
  float16: 2,
  double: 8,
  uint32: 4,
  uint64: 8,
  bfloat16: 2,
};

/** A graph input or output. Shape entries: a number (fixed), a string (symbolic, e.g. 'batch'), or null (unknown). Omit `shape` for an unknown rank. */
export interface OnnxValueSpec {
  name: string;
  elemType: OnnxElemType;
  shape?: (number | string | null)[];
}

/** A constant tensor. `data` holds the elements in row-major order (numbers; bigint allowed for int64/uint64; booleans for bool; strings for string). */
export interface OnnxTensorSpec {
  name?: string;
  elemType: OnnxElemType;
  dims: number[];
  data: ArrayLike<number> | ArrayLike<bigint> | ArrayLike<boolean> | ArrayLike<string>;
}

declare const ATTR_BRAND: unique symbol;
/** An explicitly typed attribute value (see `attr`). */
export interface TypedAttr {
  readonly [ATTR_BRAND]: true;
  readonly kind: 'float' | 'floats' | 'int' | 'ints' | 'string' | 'strings' | 'tensor' | 'graph';
  readonly value: unknown;
}
export type OnnxAttrValue = number | string | number[] | string[] | TypedAttr;

export interface OnnxNodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, OnnxAttrValue>;
  name?: string;
  /** Operator domain; '' (default) is the standard ai.onnx domain. */
  domain?: string;
}

export interface OnnxGraphSpec {
  name?: string;
  inputs: OnnxValueSpec[];
  outputs: OnnxValueSpec[];
  nodes: OnnxNodeSpec[];
  initializers?: (OnnxTensorSpec & { name: string })[];
}

export interface OnnxModelSpec extends OnnxGraphSpec {
  /** ai.onnx opset version; default 17. */
  opset?: number;
  /** Extra operator sets, e.g. { 'com.microsoft': 1 }. */
  extraOpsets?: Record<string, number>;
  producerName?: string;
  docString?: string;
  /** ModelProto.metadata_props. */
  metadata?: Record<string, string>;
}

function typed(kind: TypedAttr['kind'], value: unknown): TypedAttr {
  return { kind, value } as TypedAttr;
}

/** Explicit attribute types, for the cases the automatic typing gets wrong or cannot see. */
export const attr = {
  float: (v: number) => typed('float', v),
  floats: (v: number[]) => typed('floats', v),
  int: (v: number) => typed('int', v),
  ints: (v: number[]) => typed('ints', v),
  string: (v: string) => typed('string', v),
  strings: (v: string[]) => typed('strings', v),
  tensor: (v: OnnxTensorSpec) => typed('tensor', v),
  graph: (v: OnnxGraphSpec) => typed('graph', v),
};

// ---------------------------------------------------------------------------------------------

let cachedRoot: protobuf.Root | undefined;
function onnxRoot(): protobuf.Root {
  if (!cachedRoot) {
    const protoPath = new URL('./onnx.proto', import.meta.url);
    // parse() instead of loadSync(path) so a missing/unreadable file is reported by path.
    cachedRoot = protobuf.parse(readFileSync(protoPath, 'utf8'), { keepCase: true }).root;
  }
  return cachedRoot;
}

/** The protobufjs type for one of the messages of our onnx.proto (e.g. 'ModelProto'), for readers and tests. */
export function onnxMessageType(name: string): protobuf.Type {
  return onnxRoot().lookupType(`onnx.${name}`);
}

/** ONNX IR version to pair with an ai.onnx opset (onnx/onnx docs/Versioning.md). */
function irVersionFor(opset: number): number {
  if (opset <= 6) return 3;
  if (opset <= 9) return 4;
  if (opset === 10) return 5;
  if (opset === 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

export class OnnxBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxBuildError';
  }
}

function checkElemType(t: unknown, where: string): asserts t is OnnxElemType {
  if (typeof t !== 'string' || !(t in ONNX_DATA_TYPE)) {
    throw new OnnxBuildError(
      `${where}: unknown elemType ${JSON.stringify(t)} (expected one of ${Object.keys(ONNX_DATA_TYPE).join(', ')})`,
    );
  }
}

/** IEEE 754 binary32 -> binary16 bits, round to nearest even (overflow -> inf, NaN kept). */
export function float32ToFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // may carry into the exponent: correct
  return sign | half;
}

/** binary16 bits -> number. */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function elementCount(dims: number[], where: string): number {
  let n = 1;
  for (const [i, d] of dims.entries()) {
    if (!Number.isInteger(d) || d < 0)
      throw new OnnxBuildError(`${where}: dims[${i}] = ${d} is not a non-negative integer`);
    n *= d;
  }
  return n;
}

/** Encode a tensor's elements as ONNX raw_data (fixed width, little-endian). */
function rawData(t: OnnxTensorSpec, where: string): Uint8Array {
  const type = t.elemType as Exclude<OnnxElemType, 'string'>;
  const n = t.data.length;
  const buf = new Uint8Array(n * BYTES_PER_ELEMENT[type]);
  const dv = new DataView(buf.buffer);
  const data = t.data as ArrayLike<number | bigint | boolean>;
  const num = (i: number): number => {
    const v = data[i];
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') return Number(v);
    throw new OnnxBuildError(`${where}: data[${i}] is ${typeof v}, expected a number`);
  };
  const big = (i: number): bigint => {
    const v = data[i];
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
    throw new OnnxBuildError(`${where}: data[${i}] = ${String(v)} is not an integer`);
  };
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 'float':
        dv.setFloat32(i * 4, num(i), true);
        break;
      case 'double':
        dv.setFloat64(i * 8, num(i), true);
        break;
      case 'float16':
        dv.setUint16(i * 2, float32ToFloat16Bits(num(i)), true);
        break;
      case 'bfloat16': {
        // Truncate-with-rounding of the float32 bits: keep the upper 16 bits.
        const f = new Float32Array([num(i)]);
        const u = new Uint32Array(f.buffer)[0];
        const rounded = (u + 0x7fff + ((u >>> 16) & 1)) >>> 16;
        dv.setUint16(i * 2, Number.isNaN(f[0]) ? 0x7fc0 : rounded & 0xffff, true);
        break;
      }
      case 'uint8':
      case 'bool':
        dv.setUint8(i, num(i));
        break;
      case 'int8':
        dv.setInt8(i, num(i));
        break;
      case 'uint16':
        dv.setUint16(i * 2, num(i), true);
        break;
      case 'int16':
        dv.setInt16(i * 2, num(i), true);
        break;
      case 'int32':
        dv.setInt32(i * 4, num(i), true);
        break;
      case 'uint32':
        dv.setUint32(i * 4, num(i), true);
        break;
      case 'int64':
        dv.setBigInt64(i * 8, big(i), true);
        break;
      case 'uint64':
        dv.setBigUint64(i * 8, big(i), true);
        break;
    }
  }
  return buf;
}

function tensorProto(t: OnnxTensorSpec, where: string): Record<string, unknown> {
  checkElemType(t.elemType, where);
  if (!Array.isArray(t.dims)) throw new OnnxBuildError(`${where}: dims must be an array`);
  const n = elementCount(t.dims, where);
  if (!t.data || typeof t.data.length !== 'number') throw new OnnxBuildError(`${where}: data is missing`);
  if (t.data.length !== n) {
    throw new OnnxBuildError(`${where}: dims [${t.dims.join(', ')}] hold ${n} elements but data has ${t.data.length}`);
  }
  const out: Record<string, unknown> = { dims: t.dims, data_type: ONNX_DATA_TYPE[t.elemType] };
  if (t.name !== undefined) out.name = t.name;
  if (t.elemType === 'string') {
    const enc = new TextEncoder();
    out.string_data = Array.from(t.data as ArrayLike<string>, (s, i) => {
      if (typeof s !== 'string') throw new OnnxBuildError(`${where}: data[${i}] is not a string`);
      return enc.encode(s);
    });
  } else {
    out.raw_data = rawData(t, where);
  }
  return out;
}

function valueInfo(v: OnnxValueSpec, where: string): Record<string, unknown> {
  if (!v || typeof v.name !== 'string' || v.name === '')
    throw new OnnxBuildError(`${where}: name must be a non-empty string`);
  checkElemType(v.elemType, `${where} '${v.name}'`);
  const tensorType: Record<string, unknown> = { elem_type: ONNX_DATA_TYPE[v.elemType] };
  if (v.shape !== undefined) {
    tensorType.shape = {
      dim: v.shape.map((d, i) => {
        if (d === null) return {};
        if (typeof d === 'string') return { dim_param: d };
        if (Number.isInteger(d) && d >= 0) return { dim_value: d };
        throw new OnnxBuildError(
          `${where} '${v.name}': shape[${i}] = ${String(d)} must be a non-negative integer, a symbolic name or null`,
        );
      }),
    };
  }
  return { name: v.name, type: { tensor_type: tensorType } };
}

const AT = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function attribute(name: string, value: OnnxAttrValue, where: string): Record<string, unknown> {
  const w = `${where} attribute '${name}'`;
  const enc = new TextEncoder();
  const intCheck = (v: unknown): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new OnnxBuildError(`${w}: ${String(v)} is not an integer`);
    return v;
  };
  const floatCheck = (v: unknown): number => {
    if (typeof v !== 'number') throw new OnnxBuildError(`${w}: ${String(v)} is not a number`);
    return v;
  };
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value) {
    const v = value.value;
    switch (value.kind) {
      case 'float':
        return { name, type: AT.FLOAT, f: floatCheck(v) };
      case 'floats':
        return { name, type: AT.FLOATS, floats: (v as number[]).map(floatCheck) };
      case 'int':
        return { name, type: AT.INT, i: intCheck(v) };
      case 'ints':
        return { name, type: AT.INTS, ints: (v as number[]).map(intCheck) };
      case 'string':
        return { name, type: AT.STRING, s: enc.encode(String(v)) };
      case 'strings':
        return { name, type: AT.STRINGS, strings: (v as string[]).map((s) => enc.encode(s)) };
      case 'tensor':
        return { name, type: AT.TENSOR, t: tensorProto(v as OnnxTensorSpec, w) };
      case 'graph':
        return { name, type: AT.GRAPH, g: graphProto(v as OnnxGraphSpec, w, true) };
    }
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: AT.INT, i: value } : { name, type: AT.FLOAT, f: value };
  }
  if (typeof value === 'string') return { name, type: AT.STRING, s: enc.encode(value) };
  if (Array.isArray(value)) {
    if (value.length === 0)
      throw new OnnxBuildError(`${w}: an empty list has no type; use attr.ints([]) or attr.floats([])`);
    if (value.every((x) => typeof x === 'string'))
      return { name, type: AT.STRINGS, strings: value.map((s) => enc.encode(s)) };
    if (value.every((x) => typeof x === 'number')) {
      const nums = value;
      return nums.every(Number.isInteger)
        ? { name, type: AT.INTS, ints: nums }
        : { name, type: AT.FLOATS, floats: nums };
    }
  }
  throw new OnnxBuildError(`${w}: unsupported value ${JSON.stringify(value)}`);
}

/**
 * Build a GraphProto object. Checks that every node input is defined before use (by a graph input,
 * an initializer or an earlier node) and every graph output is produced, so mistakes are reported
 * here with the node's name instead of as an onnxruntime load error. Subgraphs (`nested`) may use
 * names from the enclosing scope, so only their outputs are checked.
 */
function graphProto(g: OnnxGraphSpec, where: string, nested = false): Record<string, unknown> {
  if (!g || !Array.isArray(g.inputs) || !Array.isArray(g.outputs) || !Array.isArray(g.nodes)) {
    throw new OnnxBuildError(`${where}: a graph needs inputs, outputs and nodes arrays`);
  }
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (defined.has(name)) throw new OnnxBuildError(`${where}: '${name}' is defined twice (${what})`);
    defined.add(name);
  };
  const inputs = g.inputs.map((v, i) => valueInfo(v, `${where} input #${i}`));
  for (const v of g.inputs) define(v.name, 'graph input');
  const initializers = (g.initializers ?? []).map((t, i) => {
    if (typeof t.name !== 'string' || t.name === '')
      throw new OnnxBuildError(`${where} initializer #${i}: name must be a non-empty string`);
    return tensorProto(t, `${where} initializer '${t.name}'`);
  });
  for (const t of g.initializers ?? []) define(t.name, 'initializer');
  const nodes = g.nodes.map((n, i) => {
    const label = `${where} node #${i} (${n?.op ?? '?'}${n?.name ? ` '${n.name}'` : ''})`;
    if (!n || typeof n.op !== 'string' || n.op === '')
      throw new OnnxBuildError(`${label}: op must be a non-empty string`);
    if (!Array.isArray(n.inputs) || !Array.isArray(n.outputs))
      throw new OnnxBuildError(`${label}: inputs and outputs must be arrays`);
    if (!nested) {
      for (const input of n.inputs) {
        if (input !== '' && !defined.has(input))
          throw new OnnxBuildError(
            `${label}: input '${input}' is not defined by a graph input, an initializer or an earlier node`,
          );
      }
    }
    for (const o of n.outputs) if (o !== '') define(o, label);
    return {
      input: n.inputs,
      output: n.outputs,
      name: n.name ?? `${n.op}_${i}`,
      op_type: n.op,
      ...(n.domain ? { domain: n.domain } : {}),
      attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v, label)),
    };
  });
  const outputs = g.outputs.map((v, i) => valueInfo(v, `${where} output #${i}`));
  if (!nested) {
    for (const v of g.outputs) {
      if (!defined.has(v.name))
        throw new OnnxBuildError(`${where}: output '${v.name}' is not produced by any node, input or initializer`);
    }
  }
  return { node: nodes, name: g.name ?? 'graph', initializer: initializers, input: inputs, output: outputs };
}

/** Build a complete ONNX model file. Throws `OnnxBuildError` naming the offending input/node/field. */
export function buildOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const opset = spec.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 1)
    throw new OnnxBuildError(`model: opset ${opset} is not a positive integer`);
  const model = {
    ir_version: irVersionFor(opset),
    opset_import: [
      { domain: '', version: opset },
      ...Object.entries(spec.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version })),
    ],
    producer_name: spec.producerName ?? 'tritonscope-onnx-builder',
    producer_version: '1',
    ...(spec.docString ? { doc_string: spec.docString } : {}),
    graph: graphProto(spec, 'model graph'),
    metadata_props: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const Model = onnxMessageType('ModelProto');
  // fromObject converts numbers to int64 and plain arrays to repeated fields; verify first so a
  // wrongly typed value fails loudly instead of being dropped.
  const problem = Model.verify(model);
  if (problem) throw new OnnxBuildError(`model: ${problem}`);
  return Model.encode(Model.fromObject(model)).finish();
}

export interface OnnxModelSummary {
  irVersion: number;
  opsets: Record<string, number>;
  producerName: string;
  inputs: OnnxValueSpec[];
  outputs: OnnxValueSpec[];
  initializerNames: string[];
  ops: string[];
  metadata: Record<string, string>;
}

const ELEM_TYPE_BY_NUMBER = new Map(Object.entries(ONNX_DATA_TYPE).map(([k, v]) => [v, k as OnnxElemType]));

/** Read back the interface of an ONNX file (for tests and tools): inputs, outputs, opsets, ops. */
export function readOnnxModelSummary(bytes: Uint8Array): OnnxModelSummary {
  const Model = onnxMessageType('ModelProto');
  const m = Model.toObject(Model.decode(bytes), { longs: Number, defaults: false }) as {
    ir_version?: number;
    producer_name?: string;
    opset_import?: { domain?: string; version?: number }[];
    metadata_props?: { key?: string; value?: string }[];
    graph?: {
      node?: { op_type?: string }[];
      initializer?: { name?: string }[];
      input?: RawValueInfo[];
      output?: RawValueInfo[];
    };
  };
  type RawValueInfo = {
    name?: string;
    type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
  };
  const vi = (v: RawValueInfo): OnnxValueSpec => {
    const tt = v.type?.tensor_type;
    const elemType = ELEM_TYPE_BY_NUMBER.get(tt?.elem_type ?? -1);
    if (!elemType) throw new OnnxBuildError(`value '${v.name}': unsupported elem_type ${tt?.elem_type}`);
    return {
      name: v.name ?? '',
      elemType,
      ...(tt?.shape ? { shape: (tt.shape.dim ?? []).map((d) => d.dim_value ?? d.dim_param ?? null) } : {}),
    };
  };
  return {
    irVersion: m.ir_version ?? 0,
    opsets: Object.fromEntries((m.opset_import ?? []).map((o) => [o.domain ?? '', o.version ?? 0])),
    producerName: m.producer_name ?? '',
    inputs: (m.graph?.input ?? []).map(vi),
    outputs: (m.graph?.output ?? []).map(vi),
    initializerNames: (m.graph?.initializer ?? []).map((t) => t.name ?? ''),
    ops: (m.graph?.node ?? []).map((n) => n.op_type ?? ''),
    metadata: Object.fromEntries((m.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}
