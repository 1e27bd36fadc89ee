/**
 * Datatype helpers for the server on top of shared/tensor's table: Triton's lenient spellings for
 * error texts ('<invalid>' for unknown types) and the onnxruntime-node tensor type of each
 * protocol datatype (a server-only concern).
 */
import { configToDatatype, elementByteSize, isDatatype } from '../../shared/tensor/datatypes';

/** 'TYPE_FP32' -> 'FP32'; unknown/TYPE_INVALID -> '<invalid>' as Triton prints it. */
export function configToWire(dataType: string | undefined): string {
  try {
    return dataType ? configToDatatype(dataType) : '<invalid>';
  } catch {
    return '<invalid>';
  }
}

export function isKnownWire(datatype: string): boolean {
  return isDatatype(datatype);
}

/** Bytes per element for fixed-size protocol datatypes, undefined for BYTES/invalid. */
export function wireElementSize(datatype: string): number | undefined {
  return isDatatype(datatype) ? (elementByteSize(datatype) ?? undefined) : undefined;
}

/** onnxruntime-node tensor type per protocol datatype (BF16 has none in onnxruntime-node). */
const WIRE_TO_ORT: Readonly<Record<string, string>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  INT8: 'int8',
  UINT16: 'uint16',
  INT16: 'int16',
  UINT32: 'uint32',
  INT32: 'int32',
  UINT64: 'uint64',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

export function wireToOrt(datatype: string): string | undefined {
  return WIRE_TO_ORT[datatype];
}

export function ortToWire(ortType: string): string | undefined {
  for (const [wire, ort] of Object.entries(WIRE_TO_ORT)) if (ort === ortType) return wire;
  return undefined;
}
