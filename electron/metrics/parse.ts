/**
 * Prometheus text (a Triton metrics endpoint's answer) to the contract's MetricsSnapshot: the
 * per-model families by their (model, version) labels, the CPU gauges and the per-GPU gauges,
 * with Triton's names (shared/metrics/families). The text format itself is parsed by
 * parse-prometheus-text-format; this maps what it found and refuses what it cannot stand behind:
 * a line the library rejects (named with its line number), a value that is not a number, or an
 * answer with no Triton family at all (a wrong path on Triton's metrics port answers 200 and an
 * empty body; another service answers something else).
 */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { ApiError, type GpuMetrics, type MetricsSnapshot, type ModelMetrics } from '../../shared/contract';
import {
  CPU_FAMILIES,
  GPU_FAMILIES,
  GPU_LABEL,
  MODEL_FAMILIES,
  MODEL_LABEL,
  REASON_LABEL,
  VERSION_LABEL,
  type ModelFamilyKey,
} from '../../shared/metrics/families';

export type ParsedMetrics = Omit<MetricsSnapshot, 'takenAt' | 'url'>;

const TRITON_PREFIX = 'nv_';

function parseFamilies(text: string, source: string): PromFamily[] {
  try {
    return parsePrometheusTextFormat(text);
  } catch (err) {
    const message = (err as Error).message;
    // The library names the offending line's text, not its number: find it.
    const bad = /invalid line: (.*)$/s.exec(message)?.[1];
    const lineNo = bad === undefined ? -1 : text.split('\n').findIndex((l) => l.trim() === bad.trim());
    throw new ApiError(
      'INVALID_ARGUMENT',
      `${source}${lineNo >= 0 ? ` line ${lineNo + 1}` : ''}: not Prometheus text format: ${message}`,
    );
  }
}

/** A sample's value as a number; NaN and ±Inf (legal in the format) become null, anything else is refused. */
function value(family: PromFamily, sample: PromFamily['metrics'][number], source: string): number | null {
  const raw = sample.value ?? '';
  // The format spells infinities +Inf / -Inf (Go's ParseFloat also takes Inf and Infinity), which
  // Number() does not read.
  const n = /^[+-]?inf(inity)?$/i.test(raw.trim()) ? (raw.trim().startsWith('-') ? -Infinity : Infinity) : Number(raw);
  if (raw.trim() === '' || (Number.isNaN(n) && raw !== 'NaN')) {
    const labels = Object.entries(sample.labels ?? {})
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    throw new ApiError(
      'INVALID_ARGUMENT',
      `${source}: ${family.name}${labels ? `{${labels}}` : ''}: value '${raw}' is not a number`,
    );
  }
  return Number.isFinite(n) ? n : null;
}

function emptyModel(model: string, version: string): ModelMetrics {
  return {
    model,
    version,
    requestSuccess: null,
    requestFailure: null,
    failureReasons: {},
    inferenceCount: null,
    execCount: null,
    requestDurationUs: null,
    queueDurationUs: null,
    computeInputDurationUs: null,
    computeInferDurationUs: null,
    computeOutputDurationUs: null,
    pendingRequests: null,
  };
}

function emptyGpu(uuid: string): GpuMetrics {
  return {
    uuid,
    utilization: null,
    memoryTotalBytes: null,
    memoryUsedBytes: null,
    powerUsageWatts: null,
    powerLimitWatts: null,
  };
}

const modelKeyByName = new Map(
  Object.entries(MODEL_FAMILIES).map(([key, f]) => [f.name as string, key as ModelFamilyKey]),
);
const cpuKeyByName = new Map(
  Object.entries(CPU_FAMILIES).map(([key, f]) => [f.name as string, key as keyof typeof CPU_FAMILIES]),
);
const gpuKeyByName = new Map(
  Object.entries(GPU_FAMILIES).map(([key, f]) => [f.name as string, key as keyof typeof GPU_FAMILIES]),
);

/** `source` names where the text came from (the URL) in every error. */
export function parseTritonMetrics(text: string, source: string): ParsedMetrics {
  const families = parseFamilies(text, source);
  // The library passes some broken lines through with an empty or odd value (an unterminated
  // label quote, a missing value): every plain sample must carry a number, whoever reads it.
  for (const family of families) {
    if (family.type === 'HISTOGRAM' || family.type === 'SUMMARY') continue;
    for (const sample of family.metrics) value(family, sample, source);
  }
  if (!families.some((f) => f.name.startsWith(TRITON_PREFIX))) {
    throw new ApiError(
      'FAILED_PRECONDITION',
      text.trim() === ''
        ? `${source} answered with no metrics at all (Triton's metrics port answers an empty page on any path but /metrics)`
        : `${source} lists no Triton metrics (no nv_* family among ${families.length}): is this Triton's metrics port?`,
    );
  }
  const models = new Map<string, ModelMetrics>();
  const gpus = new Map<string, GpuMetrics>();
  let cpu: ParsedMetrics['cpu'] = null;

  for (const family of families) {
    const modelKey = modelKeyByName.get(family.name);
    const cpuKey = cpuKeyByName.get(family.name);
    const gpuKey = gpuKeyByName.get(family.name);
    for (const sample of family.metrics) {
      const labels = sample.labels ?? {};
      if (modelKey) {
        const model = labels[MODEL_LABEL];
        if (model === undefined) continue; // not a per-model series
        const version = labels[VERSION_LABEL] ?? '';
        const id = `${model}\u0000${version}`;
        const entry = models.get(id) ?? emptyModel(model, version);
        models.set(id, entry);
        const v = value(family, sample, source);
        // Failures come one series per reason (and other labels may split any family): add them up.
        if (v !== null) entry[modelKey] = (entry[modelKey] ?? 0) + v;
        const reason = labels[REASON_LABEL];
        if (modelKey === 'requestFailure' && reason !== undefined && v !== null)
          entry.failureReasons[reason] = (entry.failureReasons[reason] ?? 0) + v;
      } else if (cpuKey) {
        cpu ??= { utilization: null, memoryTotalBytes: null, memoryUsedBytes: null };
        cpu[cpuKey] = value(family, sample, source);
      } else if (gpuKey) {
        const uuid = labels[GPU_LABEL] ?? '';
        const entry = gpus.get(uuid) ?? emptyGpu(uuid);
        gpus.set(uuid, entry);
        entry[gpuKey] = value(family, sample, source);
      }
      // Other families (pinned memory, cache, histograms, summaries) are counted, not shown.
    }
  }
  const byName = (a: { model: string; version: string }, b: { model: string; version: string }) =>
    a.model.localeCompare(b.model) || Number(a.version) - Number(b.version) || a.version.localeCompare(b.version);
  return {
    models: [...models.values()].sort(byName),
    cpu,
    gpus: [...gpus.values()].sort((a, b) => a.uuid.localeCompare(b.uuid)),
    familyCount: families.length,
  };
}
