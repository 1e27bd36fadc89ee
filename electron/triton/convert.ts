/** Conversions between our API types and the proto-loader message objects (see protos.ts options). */
import { encodeTensor } from '../../shared/tensor/codec';
import type {
  InferResponse,
  ModelStatistics,
  ParameterValue,
  RequestedOutput,
  ResponseParameterValue,
  StatisticDuration,
} from './types';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export interface ParamMessage {
  bool_param?: boolean;
  int64_param?: string | number;
  string_param?: string;
  double_param?: number;
  uint64_param?: string | number;
  bytes_param?: Uint8Array;
  parameter_choice?: string;
}

export function toParameter(key: string, v: ParameterValue): ParamMessage {
  switch (typeof v) {
    case 'boolean':
      return { bool_param: v };
    case 'string':
      return { string_param: v };
    case 'bigint':
      if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`parameter '${key}': ${v} does not fit int64`);
      return { int64_param: v.toString() };
    case 'number':
      if (Number.isInteger(v)) {
        if (!Number.isSafeInteger(v))
          throw new RangeError(`parameter '${key}': ${v} is not exactly representable; pass a bigint`);
        return { int64_param: String(v) };
      }
      return { double_param: v };
    default:
      if (v && typeof v === 'object' && 'double' in v) return { double_param: v.double };
      if (v && typeof v === 'object' && 'uint64' in v) {
        const b = BigInt(v.uint64);
        if (b < 0n || b > UINT64_MAX) throw new RangeError(`parameter '${key}': ${b} does not fit uint64`);
        return { uint64_param: b.toString() };
      }
      throw new TypeError(`parameter '${key}': unsupported value ${String(v)}`);
  }
}

export function toParameters(params: Record<string, ParameterValue> | undefined): Record<string, ParamMessage> {
  const out: Record<string, ParamMessage> = {};
  if (params) for (const [k, v] of Object.entries(params)) out[k] = toParameter(k, v);
  return out;
}

function int64Value(s: string | number): number | string {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : String(s);
}

export function fromParameters(
  params: Record<string, ParamMessage> | undefined,
): Record<string, ResponseParameterValue> {
  const out: Record<string, ResponseParameterValue> = {};
  if (!params) return out;
  for (const [k, p] of Object.entries(params)) {
    switch (p.parameter_choice) {
      case 'bool_param':
        out[k] = Boolean(p.bool_param);
        break;
      case 'int64_param':
        out[k] = int64Value(p.int64_param ?? 0);
        break;
      case 'uint64_param':
        out[k] = int64Value(p.uint64_param ?? 0);
        break;
      case 'double_param':
        out[k] = p.double_param ?? 0;
        break;
      case 'string_param':
        out[k] = p.string_param ?? '';
        break;
      default:
        break; // unset oneof or bytes: nothing representable
    }
  }
  return out;
}

export function toRequestedOutputs(outputs: RequestedOutput[] | undefined) {
  return (outputs ?? []).map((o) =>
    typeof o === 'string' ? { name: o, parameters: {} } : { name: o.name, parameters: toParameters(o.parameters) },
  );
}

export interface ContentsMessage {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: string[];
  uint_contents?: number[];
  uint64_contents?: string[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Uint8Array[];
}

export interface InferResponseMessage {
  model_name?: string;
  model_version?: string;
  id?: string;
  parameters?: Record<string, ParamMessage>;
  outputs: Array<{
    name?: string;
    datatype?: string;
    shape: string[];
    parameters?: Record<string, ParamMessage>;
    contents?: ContentsMessage;
  }>;
  raw_output_contents: Uint8Array[];
}

/** Typed `contents` (which Triton never sends, but other KServe servers may) -> raw bytes. */
export function contentsToBytes(datatype: string, c: ContentsMessage | undefined): Uint8Array {
  if (!c) return new Uint8Array(0);
  switch (datatype) {
    case 'BOOL':
      return encodeTensor('BOOL', c.bool_contents ?? []);
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return encodeTensor(datatype, c.int_contents ?? []);
    case 'UINT8':
    case 'UINT16':
    case 'UINT32':
      return encodeTensor(datatype, c.uint_contents ?? []);
    case 'INT64':
      return encodeTensor(
        'INT64',
        (c.int64_contents ?? []).map((s) => BigInt(s)),
      );
    case 'UINT64':
      return encodeTensor(
        'UINT64',
        (c.uint64_contents ?? []).map((s) => BigInt(s)),
      );
    case 'FP32':
      return encodeTensor('FP32', c.fp32_contents ?? []);
    case 'FP64':
      return encodeTensor('FP64', c.fp64_contents ?? []);
    case 'BYTES':
      return encodeTensor('BYTES', c.bytes_contents ?? []);
    default:
      return new Uint8Array(0);
  }
}

/** Pairs each output with its raw bytes (views into the received message: no copy). */
export function toInferResponse(msg: InferResponseMessage): InferResponse {
  const raw = msg.raw_output_contents;
  return {
    model: msg.model_name ?? '',
    version: msg.model_version ?? '',
    id: msg.id ?? '',
    parameters: fromParameters(msg.parameters),
    outputs: msg.outputs.map((o, i) => {
      const datatype = o.datatype ?? '';
      return {
        name: o.name ?? '',
        datatype,
        shape: o.shape.map(Number),
        parameters: fromParameters(o.parameters),
        data: i < raw.length ? raw[i] : contentsToBytes(datatype, o.contents),
      };
    }),
  };
}

const ZERO_DURATION: StatisticDuration = { count: '0', ns: '0' };

function duration(d: Partial<StatisticDuration> | undefined): StatisticDuration {
  return d ? { count: d.count ?? '0', ns: d.ns ?? '0' } : { ...ZERO_DURATION };
}

type DurationRecord = Record<string, Partial<StatisticDuration> | undefined>;

function durations<K extends string>(
  obj: DurationRecord | undefined,
  keys: readonly K[],
): Record<K, StatisticDuration> {
  const out = {} as Record<K, StatisticDuration>;
  for (const k of keys) out[k] = duration(obj?.[k]);
  return out;
}

const INFER_KEYS = [
  'success',
  'fail',
  'queue',
  'compute_input',
  'compute_infer',
  'compute_output',
  'cache_hit',
  'cache_miss',
] as const;
const BATCH_KEYS = ['compute_input', 'compute_infer', 'compute_output'] as const;
const RESPONSE_KEYS = ['compute_infer', 'compute_output', 'success', 'fail', 'empty_response', 'cancel'] as const;

/** Fills absent (zero) counters so every ModelStatistics has the same complete shape. */
export function toModelStatistics(m: Record<string, unknown>): ModelStatistics {
  const s = m as {
    name?: string;
    version?: string;
    last_inference?: string;
    inference_count?: string;
    execution_count?: string;
    inference_stats?: DurationRecord;
    batch_stats: Array<DurationRecord & { batch_size?: string }>;
    memory_usage: Array<{ type?: string; id?: string; byte_size?: string }>;
    response_stats: Record<string, DurationRecord>;
  };
  return {
    name: s.name ?? '',
    version: s.version ?? '',
    last_inference: s.last_inference ?? '0',
    inference_count: s.inference_count ?? '0',
    execution_count: s.execution_count ?? '0',
    inference_stats: durations(s.inference_stats, INFER_KEYS),
    batch_stats: s.batch_stats.map((b) => ({
      batch_size: b.batch_size ?? '0',
      ...durations(b, BATCH_KEYS),
    })),
    memory_usage: s.memory_usage.map((u) => ({ type: u.type ?? '', id: u.id ?? '0', byte_size: u.byte_size ?? '0' })),
    response_stats: Object.fromEntries(
      Object.entries(s.response_stats).map(([k, v]) => [k, durations(v, RESPONSE_KEYS)]),
    ),
  };
}
