/**
 * Tensor data as JSON element arrays (KServe v2 without the binary extension), converted the way
 * Triton's http_server.cc does it: ReadDataFromJson (nested or flat arrays, C casts to the
 * element type, FP16/BF16 refused) and WriteDataToJson (flat arrays, BYTES as strings).
 */
import { internal, invalidArg } from '../tritonError';
import { wireElementSize } from '../dtypes';
import { asBool, asDouble, asInt, asString, asUInt, type Json } from './json';

const MAX_DEPTH = 100; // HTTP_MAX_JSON_NESTING_DEPTH

function leaves(data: Json, out: Json[], depth: number): void {
  if (depth >= MAX_DEPTH) throw invalidArg(`JSON nesting depth exceeds maximum allowed limit (${MAX_DEPTH})`);
  if (Array.isArray(data)) for (const d of data) leaves(d, out, depth + 1);
  else out.push(data);
}

/** The raw bytes of an input's JSON `data` for `elementCount` elements of `datatype`. */
export function jsonToTensorBytes(name: string, datatype: string, data: Json, elementCount: number): Buffer {
  if (datatype === 'FP16' || datatype === 'BF16')
    throw invalidArg(
      `receiving ${datatype} data via JSON is not supported. Please use the binary data format for input ${name}`,
    );
  if (datatype === 'BYTES') {
    const values: Json[] = [];
    leaves(data, values, 0);
    const parts: Buffer[] = [];
    for (const v of values) {
      let s: string;
      try {
        s = asString(v);
      } catch (err) {
        throw internal(`Unable to parse JSON bytes array: ${(err as Error).message}`);
      }
      const bytes = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(bytes.byteLength, 0);
      parts.push(len, bytes);
    }
    return Buffer.concat(parts);
  }
  const size = wireElementSize(datatype);
  if (size === undefined) throw invalidArg(`invalid datatype for input ${name}`);
  const values: Json[] = [];
  leaves(data, values, 0);
  const out = Buffer.alloc(elementCount * size);
  const parse = (what: () => void) => {
    try {
      what();
    } catch (err) {
      throw internal(`Unable to parse 'data': ${(err as Error).message}`);
    }
  };
  for (let i = 0; i < values.length; i++) {
    if (i >= elementCount) throw internal("Unable to parse 'data': Shape does not match true shape of 'data' field");
    const v = values[i];
    const at = i * size;
    parse(() => {
      switch (datatype) {
        case 'BOOL':
          out[at] = asBool(v) ? 1 : 0;
          break;
        case 'UINT8':
        case 'UINT16':
        case 'UINT32':
        case 'UINT64':
          // C cast to the narrower type: keep the low bytes.
          writeLow(out, at, size, asUInt(v));
          break;
        case 'INT8':
        case 'INT16':
        case 'INT32':
        case 'INT64':
          writeLow(out, at, size, BigInt.asUintN(64, asInt(v)));
          break;
        case 'FP32':
          out.writeFloatLE(asDouble(v), at);
          break;
        case 'FP64':
          out.writeDoubleLE(asDouble(v), at);
          break;
      }
    });
  }
  if (values.length !== elementCount) throw internal("Failed to parse 'data' field: shape does not match true shape");
  return out;
}

/** The low `size` bytes of a 64-bit two's complement value, little-endian. */
function writeLow(out: Buffer, at: number, size: number, value: bigint): void {
  for (let b = 0; b < size; b++) out[at + b] = Number((value >> BigInt(8 * b)) & 0xffn);
}

/** An output's raw bytes as the flat JSON array WriteDataToJson produces. */
export function tensorBytesToJson(name: string, datatype: string, data: Buffer, elementCount: number): Json[] {
  if (datatype === 'FP16' || datatype === 'BF16')
    throw invalidArg(
      `sending ${datatype} data via JSON is not supported. Please use the binary data format for output`,
    );
  const mismatch = () =>
    internal(`Failed to write 'data' field: output tensor shape does not match size of output for '${name}'`);
  if (datatype === 'BYTES') {
    const out: Json[] = [];
    let offset = 0;
    for (let e = 0; e < elementCount; e++) {
      if (offset + 4 > data.byteLength)
        throw internal(`output tensor shape does not match size of output for '${name}'`);
      const len = data.readUInt32LE(offset);
      offset += 4;
      if (offset + len > data.byteLength)
        throw internal(`output tensor shape does not match size of output for '${name}'`);
      out.push(data.subarray(offset, offset + len).toString('utf8'));
      offset += len;
    }
    return out;
  }
  const size = wireElementSize(datatype);
  if (size === undefined) throw invalidArg('Invalid data type for output tensor');
  if (data.byteLength !== elementCount * size) throw mismatch();
  const out = new Array<Json>(elementCount);
  for (let e = 0; e < elementCount; e++) {
    const at = e * size;
    switch (datatype) {
      case 'BOOL':
        out[e] = data[at] !== 0;
        break;
      case 'UINT8':
        out[e] = data.readUInt8(at);
        break;
      case 'UINT16':
        out[e] = data.readUInt16LE(at);
        break;
      case 'UINT32':
        out[e] = data.readUInt32LE(at);
        break;
      case 'UINT64':
        out[e] = data.readBigUInt64LE(at);
        break;
      case 'INT8':
        out[e] = data.readInt8(at);
        break;
      case 'INT16':
        out[e] = data.readInt16LE(at);
        break;
      case 'INT32':
        out[e] = data.readInt32LE(at);
        break;
      case 'INT64':
        out[e] = data.readBigInt64LE(at);
        break;
      case 'FP32':
        out[e] = data.readFloatLE(at);
        break;
      case 'FP64':
        out[e] = data.readDoubleLE(at);
        break;
    }
  }
  return out;
}
