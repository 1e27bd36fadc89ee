/**
 * Trace and log settings (PROTOCOL.md §8). The embedded server produces no traces; it stores the
 * settings with Triton's defaults and validation and returns them, so clients can exercise the
 * RPCs. Log settings gate the server's own log lines.
 */
import { invalidArg, unsupported } from './tritonError';

const TRACE_DEFAULTS: Readonly<Record<string, string[]>> = {
  trace_level: ['OFF'],
  trace_rate: ['1000'],
  trace_count: ['-1'],
  log_frequency: ['0'],
  trace_file: [''],
  trace_mode: ['triton'],
};

type Parsed = { value: number } | { error: 'invalid' | 'range' };

/** std::stoi: leading blanks, an optional sign and digits (trailing text ignored), int32 range. */
function stoi(text: string): Parsed {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) return { error: 'invalid' };
  const n = Number(m[1]);
  return n < -(2 ** 31) || n > 2 ** 31 - 1 ? { error: 'range' } : { value: n };
}

/**
 * Reads the keys Triton's gRPC TraceSetting handler reads, in its order and with its texts
 * (grpc_server.cc): trace_file cannot be changed, unknown levels and unknown keys are ignored,
 * numbers parse as std::stoi does. Nothing changes unless every key is valid.
 */
function parseTraceUpdates(updates: Record<string, string[]>): Record<string, string[]> {
  if ('trace_file' in updates) throw unsupported('trace file location can not be updated through network protocol');
  const out: Record<string, string[]> = {};
  const levels = updates.trace_level;
  if (levels) {
    if (levels.length === 0) out.trace_level = [];
    let timestamps = false;
    let tensors = false;
    let off = false;
    for (const level of levels) {
      if (level === 'OFF') {
        if (levels.length !== 1) throw invalidArg("Expect only one trace level 'OFF' is specified");
        off = true;
      } else if (level === 'TIMESTAMPS') timestamps = true;
      else if (level === 'TENSORS') tensors = true;
    }
    if (off) out.trace_level = ['OFF'];
    else if (timestamps || tensors)
      out.trace_level = [...(timestamps ? ['TIMESTAMPS'] : []), ...(tensors ? ['TENSORS'] : [])];
  }
  for (const key of ['trace_rate', 'trace_count', 'log_frequency']) {
    const values = updates[key];
    if (!values) continue;
    if (values.length === 0) {
      out[key] = [];
      continue;
    }
    if (values.length > 1) throw invalidArg(`expect only 1 value for '${key}'`);
    const parsed = stoi(values[0]);
    const count = key === 'trace_count';
    if ('error' in parsed && parsed.error === 'invalid')
      throw invalidArg(`Unable to parse '${key}', got: ${values[0]}`);
    if ('error' in parsed) {
      const range = count ? '[ -1, 2147483647 ]' : '[ 0, 4294967295 ]';
      throw invalidArg(`Unable to parse '${key}', value is out of range ${range}, got: ${values[0]}`);
    }
    if (count && parsed.value < -1)
      throw invalidArg(`Unable to parse '${key}'. Expecting value >= -1, got: ${values[0]}`);
    // trace_rate and log_frequency are uint32 in Triton: stoi's result is converted to it.
    out[key] = [String(count ? parsed.value : parsed.value >>> 0)];
  }
  return out;
}

export class TraceSettings {
  private readonly global: Record<string, string[]> = structuredClone(TRACE_DEFAULTS);
  private readonly perModel = new Map<string, Record<string, string[]>>();

  /** Applies `updates` (an empty list clears a model-level override) and returns the effective settings. */
  update(modelName: string, rawUpdates: Record<string, string[]>): Record<string, string[]> {
    const updates = Object.keys(rawUpdates).length ? parseTraceUpdates(rawUpdates) : {};
    if (modelName) {
      const current = this.perModel.get(modelName) ?? {};
      for (const [key, values] of Object.entries(updates)) {
        if (values.length === 0) delete current[key];
        else current[key] = [...values];
      }
      this.perModel.set(modelName, current);
    } else {
      for (const [key, values] of Object.entries(updates)) {
        this.global[key] = values.length === 0 ? [...TRACE_DEFAULTS[key]] : [...values];
      }
    }
    return this.effective(modelName);
  }

  effective(modelName: string): Record<string, string[]> {
    return { ...structuredClone(this.global), ...structuredClone(this.perModel.get(modelName) ?? {}) };
  }
}

export type LogValue = { bool_param: boolean } | { uint32_param: number } | { string_param: string };

const LOG_KINDS: Readonly<Record<string, 'bool' | 'uint32' | 'string'>> = {
  log_file: 'string',
  log_info: 'bool',
  log_warning: 'bool',
  log_error: 'bool',
  log_verbose_level: 'uint32',
  log_format: 'string',
};

export class LogSettings {
  values: Record<string, boolean | number | string> = {
    log_file: '',
    log_info: true,
    log_warning: true,
    log_error: true,
    log_verbose_level: 0,
    log_format: 'default',
  };

  update(
    updates: Record<
      string,
      { parameter_choice?: string; bool_param?: boolean; uint32_param?: number; string_param?: string }
    >,
  ): void {
    // Triton's LogSettings handler: known keys in its order, each applied as it is read (an error
    // stops there), unknown keys ignored.
    if ('log_file' in updates) throw unsupported('log file location can not be updated through network protocol');
    const expect = { bool: 'boolean', uint32: 'int32', string: 'string' } as const;
    for (const [key, kind] of Object.entries(LOG_KINDS)) {
      const v = updates[key];
      if (!v || key === 'log_file') continue;
      if (v.parameter_choice !== `${kind}_param`) throw invalidArg(`expect ${expect[kind]} for '${key}'`);
      const value = kind === 'bool' ? v.bool_param! : kind === 'uint32' ? v.uint32_param! : v.string_param!;
      if (key === 'log_format' && !['default', 'ISO8601'].includes(String(value))) {
        throw invalidArg(`invalid argument for log_format, got: ${value}`);
      }
      this.values[key] = value;
    }
  }

  toProto(): Record<string, LogValue> {
    const out: Record<string, LogValue> = {};
    for (const [key, kind] of Object.entries(LOG_KINDS)) {
      const v = this.values[key];
      out[key] =
        kind === 'bool'
          ? { bool_param: Boolean(v) }
          : kind === 'uint32'
            ? { uint32_param: Number(v) }
            : { string_param: String(v) };
    }
    return out;
  }
}
