/**
 * The embedded server's metrics endpoint as one piece: a CPU/memory sampler, Triton's metric
 * families over the server's statistics, and the HTTP port that serves them.
 */
import { startMetricsFront } from './front';
import { TritonMetrics, type LoadedVersion } from './registry';
import { SystemSampler } from './system';

export interface MetricsEndpoint {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsEndpoint(options: {
  loadedVersions: () => LoadedVersion[];
  host: string;
  port: number;
}): Promise<MetricsEndpoint> {
  const sampler = new SystemSampler();
  const metrics = new TritonMetrics({ loadedVersions: options.loadedVersions, system: () => sampler.latest() });
  try {
    const front = await startMetricsFront(metrics, { host: options.host, port: options.port });
    return {
      port: front.port,
      close: async () => {
        sampler.close();
        await front.close();
      },
    };
  } catch (err) {
    sampler.close();
    throw err;
  }
}
