/**
 * `tritonscope metrics`: a server's Prometheus metrics (Triton's port 8002) per model and version:
 * requests, inferences and failures per second and the mean request / queue / compute times over
 * an interval between two scrapes (the app's metrics view computes the same, shared/metrics/rates),
 * CPU and GPU gauges; `--raw` prints the text as served.
 */
import type { MetricsSnapshot } from '../../../shared/contract';
import { defaultMetricsUrl } from '../../../shared/metrics/families';
import { intervalRates, lifetimeAverages, type ModelRates } from '../../../shared/metrics/rates';
import { fetchMetricsText, scrapeMetrics, type FetchMetricsOptions } from '../../metrics';
import { CONNECTION_USAGE, DEFAULT_URL, connectionOptions, parseCommandArgs, printJson } from '../connectionFlags';
import { formatTable } from '../table';
import { CliError, type CliCommand } from '../types';

const USAGE = `usage: tritonscope metrics [--metrics-url URL] [--interval-ms N] [--raw] ${CONNECTION_USAGE}
  --metrics-url URL   the Prometheus endpoint (default: the --url host on port 8002, /metrics)
  --interval-ms N     time between the two scrapes that rates come from (default 2000; 0 = one
                      scrape, means since the counters started, no rates)
  --raw               print the metrics text as the server sent it`;

const num = (v: number | null, digits = 1) => (v == null ? '-' : v.toFixed(digits));
const gib = (bytes: number | null) => (bytes == null ? '?' : `${(bytes / 2 ** 30).toFixed(1)} GiB`);
const pct = (ratio: number | null) => (ratio == null ? '?' : `${(ratio * 100).toFixed(1)}%`);

function table(rows: ModelRates[], last: MetricsSnapshot): string {
  const totals = new Map(last.models.map((m) => [`${m.model}\u0000${m.version}`, m]));
  return formatTable(
    [
      'MODEL',
      'VERSION',
      'REQ/S',
      'INFER/S',
      'FAIL/S',
      'REQUEST_US',
      'QUEUE_US',
      'INPUT_US',
      'INFER_US',
      'OUTPUT_US',
      'SUCCESS',
      'FAILED',
    ],
    rows.map((r) => {
      const t = totals.get(`${r.model}\u0000${r.version}`);
      return [
        r.model,
        r.version,
        num(r.requestsPerSec),
        num(r.inferencesPerSec),
        num(r.failuresPerSec),
        num(r.avgRequestUs, 0),
        num(r.avgQueueUs, 0),
        num(r.avgComputeInputUs, 0),
        num(r.avgComputeInferUs, 0),
        num(r.avgComputeOutputUs, 0),
        num(t?.requestSuccess ?? null, 0),
        num(t?.requestFailure ?? null, 0),
      ];
    }),
  );
}

function hardware(s: MetricsSnapshot): string[] {
  const lines = [
    s.cpu
      ? `CPU: ${pct(s.cpu.utilization)} busy, memory ${gib(s.cpu.memoryUsedBytes)} of ${gib(s.cpu.memoryTotalBytes)}`
      : 'CPU: no nv_cpu_* metrics',
  ];
  if (s.gpus.length === 0)
    lines.push(
      'GPU: no nv_gpu_* metrics (Triton exports none on Jetson, in CPU-only builds or with --allow-gpu-metrics=false)',
    );
  for (const g of s.gpus) {
    lines.push(
      `GPU ${g.uuid}: ${pct(g.utilization)} busy, memory ${gib(g.memoryUsedBytes)} of ${gib(g.memoryTotalBytes)}, ${g.powerUsageWatts == null ? '?' : g.powerUsageWatts.toFixed(1)} W`,
    );
  }
  return lines;
}

export const command: CliCommand = async (argv) => {
  const { values } = parseCommandArgs(
    argv,
    { 'metrics-url': { type: 'string' }, 'interval-ms': { type: 'string' }, raw: { type: 'boolean' } },
    { usage: USAGE },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const intervalText = (values['interval-ms'] as string | undefined) ?? '2000';
  const intervalMs = Number(intervalText);
  if (!/^\d+$/.test(intervalText) || intervalMs > 600_000)
    throw new CliError(`--interval-ms must be an integer 0..600000, got '${intervalText}'`, 2);
  const connection = connectionOptions(values);
  const url = (values['metrics-url'] as string | undefined) ?? defaultMetricsUrl(values.url ?? DEFAULT_URL);
  const options: FetchMetricsOptions = {
    timeoutMs: connection.timeoutMs,
    tls: typeof connection.tls === 'object' ? connection.tls : undefined,
  };
  const cliError = (err: unknown) => new CliError(err instanceof Error ? err.message : String(err));

  if (values.raw && values.json)
    throw new CliError('--raw prints the Prometheus text as served; it cannot be --json', 2);
  if (values.raw) {
    const text = await fetchMetricsText(url, options).catch((e: unknown) => Promise.reject(cliError(e)));
    process.stdout.write(text);
    return 0;
  }
  let first: MetricsSnapshot;
  let last: MetricsSnapshot;
  try {
    first = await scrapeMetrics(url, options);
    last = first;
    if (intervalMs > 0) {
      await new Promise((r) => setTimeout(r, intervalMs));
      last = await scrapeMetrics(url, options);
    }
  } catch (err) {
    throw cliError(err);
  }
  const rows = intervalMs > 0 ? intervalRates(first, last) : lifetimeAverages(last);
  if (values.json) {
    printJson({
      url,
      takenAt: last.takenAt,
      intervalSeconds: intervalMs > 0 ? (last.takenAt - first.takenAt) / 1000 : null,
      models: rows,
      totals: last.models,
      cpu: last.cpu,
      gpus: last.gpus,
    });
    return 0;
  }
  const over =
    intervalMs > 0 ? `over ${((last.takenAt - first.takenAt) / 1000).toFixed(1)} s` : 'since the counters started';
  process.stdout.write(`${url} (means ${over})\n`);
  process.stdout.write(rows.length ? `${table(rows, last)}\n` : 'no loaded models in the metrics\n');
  process.stdout.write(`${hardware(last).join('\n')}\n`);
  return 0;
};
