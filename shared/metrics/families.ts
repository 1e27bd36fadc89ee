/**
 * Triton's Prometheus metric families that Tritonscope serves (electron/server/metrics) and reads
 * (electron/metrics): names, HELP texts and types exactly as Triton core registers them
 * (triton-inference-server/core src/metrics.cc), so the embedded server's /metrics looks like
 * Triton's and a real Triton's /metrics reads like ours. One list, both sides.
 */

/** Labels of per-model families (core src/constants.h): `model` and `version`, sorted as prometheus-cpp prints them. */
export const MODEL_LABEL = 'model';
export const VERSION_LABEL = 'version';
/** Extra label of nv_inference_request_failure, one series per reason (core metric_model_reporter.cc). */
export const REASON_LABEL = 'reason';
export const FAILURE_REASONS = ['REJECTED', 'CANCELED', 'BACKEND', 'OTHER'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
/** Label of per-GPU families. */
export const GPU_LABEL = 'gpu_uuid';

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
}

/** Per-model counters (and the pending-request gauge), keyed by the field of ModelMetrics they fill. */
export const MODEL_FAMILIES = {
  requestSuccess: {
    name: 'nv_inference_request_success',
    help: 'Number of successful inference requests, all batch sizes',
    type: 'counter',
  },
  requestFailure: {
    name: 'nv_inference_request_failure',
    help: 'Number of failed inference requests, all batch sizes',
    type: 'counter',
  },
  inferenceCount: {
    name: 'nv_inference_count',
    help: 'Number of inferences performed (does not include cached requests)',
    type: 'counter',
  },
  execCount: {
    name: 'nv_inference_exec_count',
    help: 'Number of model executions performed (does not include cached requests)',
    type: 'counter',
  },
  requestDurationUs: {
    name: 'nv_inference_request_duration_us',
    help: 'Cumulative inference request duration in microseconds (includes cached requests)',
    type: 'counter',
  },
  queueDurationUs: {
    name: 'nv_inference_queue_duration_us',
    help: 'Cumulative inference queuing duration in microseconds (includes cached requests)',
    type: 'counter',
  },
  computeInputDurationUs: {
    name: 'nv_inference_compute_input_duration_us',
    help: 'Cumulative compute input duration in microseconds (does not include cached requests)',
    type: 'counter',
  },
  computeInferDurationUs: {
    name: 'nv_inference_compute_infer_duration_us',
    help: 'Cumulative compute inference duration in microseconds (does not include cached requests)',
    type: 'counter',
  },
  computeOutputDurationUs: {
    name: 'nv_inference_compute_output_duration_us',
    help: 'Cumulative inference compute output duration in microseconds (does not include cached requests)',
    type: 'counter',
  },
  pendingRequests: {
    name: 'nv_inference_pending_request_count',
    help: 'Instantaneous number of pending requests awaiting execution per-model.',
    type: 'gauge',
  },
} as const satisfies Record<string, Family>;
export type ModelFamilyKey = keyof typeof MODEL_FAMILIES;

/** Server-wide CPU gauges (Linux /proc in Triton; no labels). */
export const CPU_FAMILIES = {
  utilization: { name: 'nv_cpu_utilization', help: 'CPU utilization rate [0.0 - 1.0]', type: 'gauge' },
  memoryTotalBytes: { name: 'nv_cpu_memory_total_bytes', help: 'CPU total memory (RAM), in bytes', type: 'gauge' },
  memoryUsedBytes: { name: 'nv_cpu_memory_used_bytes', help: 'CPU used memory (RAM), in bytes', type: 'gauge' },
} as const satisfies Record<string, Family>;

/** Per-GPU gauges (DCGM in Triton; absent on Jetson, where Triton has no DCGM). Read, never served by us. */
export const GPU_FAMILIES = {
  utilization: { name: 'nv_gpu_utilization', help: 'GPU utilization rate [0.0 - 1.0)', type: 'gauge' },
  memoryTotalBytes: { name: 'nv_gpu_memory_total_bytes', help: 'GPU total memory, in bytes', type: 'gauge' },
  memoryUsedBytes: { name: 'nv_gpu_memory_used_bytes', help: 'GPU used memory, in bytes', type: 'gauge' },
  powerUsageWatts: { name: 'nv_gpu_power_usage', help: 'GPU power usage in watts', type: 'gauge' },
  powerLimitWatts: { name: 'nv_gpu_power_limit', help: 'GPU power management limit in watts', type: 'gauge' },
} as const satisfies Record<string, Family>;

/** Triton's metrics port (tritonserver --metrics-port default). */
export const TRITON_METRICS_PORT = 8002;

/**
 * The metrics URL a profile uses when it names none: the same host as its server URL on Triton's
 * metrics port. Takes 'host:port' (gRPC) and 'http(s)://host:port/...' forms; IPv6 stays bracketed.
 */
export function defaultMetricsUrl(serverUrl: string): string {
  const withoutScheme = serverUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const hostPort = withoutScheme.split('/')[0];
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0];
  return `http://${host || '127.0.0.1'}:${TRITON_METRICS_PORT}/metrics`;
}
