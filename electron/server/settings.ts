/**
 * Trace and log settings (PROTOCOL.md §8). The embedded server produces no traces; it stores the
 * settings with Triton's defaults and validation and returns them, so clients can exercise the
 * RPCs. Log settings gate the server's own log lines.
 */
import { invalidArg } from './tritonError';

const TRACE_DEFAULTS: Readonly<Record<string, string[]>> = {
  trace_level: ['OFF'],
  trace_rate: ['1000'],
  trace_count: ['-1'],
  log_frequency: ['0'],
  trace_file: [''],
  trace_mode: ['triton'],
};

const TRACE_LEVELS = new Set(['OFF', 'TIMESTAMPS', 'TENSORS']);

export class TraceSettings {
  private readonly global: Record<string, string[]> = structuredClone(TRACE_DEFAULTS) as Record<string, string[]>;
  private readonly perModel = new Map<string, Record<string, string[]>>();

  /** Applies `updates` (an empty list clears a model-level override) and returns the effective settings. */
  update(modelName: string, updates: Record<string, string[]>): Record<string, string[]> {
    for (const [key, values] of Object.entries(updates)) {
      if (!(key in TRACE_DEFAULTS)) throw invalidArg(`unsupported trace setting '${key}'`);
      if (key === 'trace_level') {
        for (const v of values) if (!TRACE_LEVELS.has(v)) throw invalidArg(`unsupported trace level '${v}'`);
      }
      if (['trace_rate', 'trace_count', 'log_frequency'].includes(key)) {
        for (const v of values) if (!/^-?\d+$/.test(v)) throw invalidArg(`unable to parse '${key}', got: ${v}`);
      }
      if (key === 'trace_mode' && values.length > 0 && !['triton', 'opentelemetry'].includes(values[0])) {
        throw invalidArg(`unsupported trace mode '${values[0]}'`);
      }
    }
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
    const next = { ...this.values };
    for (const [key, v] of Object.entries(updates)) {
      const kind = LOG_KINDS[key];
      if (!kind) throw invalidArg(`log setting '${key}' is not supported`);
      const choice = v.parameter_choice;
      if (choice !== `${kind}_param`) throw invalidArg(`expect ${kind} for '${key}'`);
      const value = kind === 'bool' ? v.bool_param! : kind === 'uint32' ? v.uint32_param! : v.string_param!;
      if (key === 'log_format' && !['default', 'ISO8601'].includes(String(value))) {
        throw invalidArg(`invalid argument for log_format, got: ${value}`);
      }
      next[key] = value;
    }
    this.values = next;
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
