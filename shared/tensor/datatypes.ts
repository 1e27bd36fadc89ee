/**
 * Triton's tensor element types in their two spellings: the protocol string used in inference
 * requests ("FP32", "BYTES") and the config enum of model_config.proto (TYPE_FP32, TYPE_STRING),
 * with the fixed element size in bytes (null for BYTES, whose elements are length-prefixed).
 */

export const DATATYPES = [
  { datatype: 'BOOL', configType: 'TYPE_BOOL', configValue: 1, byteSize: 1 },
  { datatype: 'UINT8', configType: 'TYPE_UINT8', configValue: 2, byteSize: 1 },
  { datatype: 'UINT16', configType: 'TYPE_UINT16', configValue: 3, byteSize: 2 },
  { datatype: 'UINT32', configType: 'TYPE_UINT32', configValue: 4, byteSize: 4 },
  { datatype: 'UINT64', configType: 'TYPE_UINT64', configValue: 5, byteSize: 8 },
  { datatype: 'INT8', configType: 'TYPE_INT8', configValue: 6, byteSize: 1 },
  { datatype: 'INT16', configType: 'TYPE_INT16', configValue: 7, byteSize: 2 },
  { datatype: 'INT32', configType: 'TYPE_INT32', configValue: 8, byteSize: 4 },
  { datatype: 'INT64', configType: 'TYPE_INT64', configValue: 9, byteSize: 8 },
  { datatype: 'FP16', configType: 'TYPE_FP16', configValue: 10, byteSize: 2 },
  { datatype: 'FP32', configType: 'TYPE_FP32', configValue: 11, byteSize: 4 },
  { datatype: 'FP64', configType: 'TYPE_FP64', configValue: 12, byteSize: 8 },
  { datatype: 'BYTES', configType: 'TYPE_STRING', configValue: 13, byteSize: null },
  { datatype: 'BF16', configType: 'TYPE_BF16', configValue: 14, byteSize: 2 },
] as const;

export type Datatype = (typeof DATATYPES)[number]['datatype'];
export type ConfigDataType = (typeof DATATYPES)[number]['configType'] | 'TYPE_INVALID';
export type DatatypeInfo = (typeof DATATYPES)[number];

const byDatatype = new Map<string, DatatypeInfo>(DATATYPES.map((d) => [d.datatype, d]));
const byConfig = new Map<string, DatatypeInfo>(DATATYPES.map((d) => [d.configType, d]));

/** Protocol strings are matched exactly, as Triton does ("fp32" is not a datatype). */
export function isDatatype(s: string): s is Datatype {
  return byDatatype.has(s);
}

export function datatypeInfo(datatype: string): DatatypeInfo {
  const info = byDatatype.get(datatype);
  if (!info) {
    throw new TensorError(
      `unknown datatype '${datatype}' (expected one of ${DATATYPES.map((d) => d.datatype).join(', ')})`,
    );
  }
  return info;
}

/** 'FP32' -> 'TYPE_FP32', 'BYTES' -> 'TYPE_STRING'. */
export function datatypeToConfig(datatype: string): ConfigDataType {
  return datatypeInfo(datatype).configType;
}

/** 'TYPE_FP32' -> 'FP32', 'TYPE_STRING' -> 'BYTES'. Also accepts the enum number. */
export function configToDatatype(configType: string | number): Datatype {
  const info =
    typeof configType === 'number' ? DATATYPES.find((d) => d.configValue === configType) : byConfig.get(configType);
  if (!info) throw new TensorError(`config data type '${configType}' has no protocol datatype`);
  return info.datatype;
}

/** Bytes per element, or null for BYTES (variable-length elements). */
export function elementByteSize(datatype: string): number | null {
  return datatypeInfo(datatype).byteSize;
}

/** An error in tensor data: wrong datatype, shape, byte size or element count. */
export class TensorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TensorError';
  }
}

/**
 * Number of elements of a fully specified shape. Rejects -1 (variable dims are only meaningful in
 * metadata, never in a request) and anything that is not a non-negative safe integer.
 */
export function elementCount(shape: readonly number[], what = 'tensor'): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new TensorError(
        `${what}: dimension ${i} of shape [${shape.join(',')}] must be a non-negative integer, got ${d}`,
      );
    }
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new TensorError(`${what}: shape [${shape.join(',')}] has too many elements`);
  return n;
}

/** Exact byte size of a fixed-size tensor; throws for BYTES (its size depends on the contents). */
export function fixedByteSize(datatype: string, shape: readonly number[], what = 'tensor'): number {
  const size = elementByteSize(datatype);
  if (size === null) throw new TensorError(`${what}: BYTES tensors have no fixed byte size`);
  return elementCount(shape, what) * size;
}
