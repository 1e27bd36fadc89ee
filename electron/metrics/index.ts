/** A server's Prometheus metrics as the app and the CLI read them: fetch, then parse into the contract's snapshot. */
import type { MetricsSnapshot } from '../../shared/contract';
import { fetchMetricsText, type FetchMetricsOptions } from './fetch';
import { parseTritonMetrics } from './parse';

export { fetchMetricsText, type FetchMetricsOptions } from './fetch';
export { parseTritonMetrics } from './parse';

export async function scrapeMetrics(url: string, options?: FetchMetricsOptions): Promise<MetricsSnapshot> {
  const text = await fetchMetricsText(url, options);
  // Stamped on arrival: rates divide by the time between two answers.
  const takenAt = Date.now();
  return { takenAt, url, ...parseTritonMetrics(text, url) };
}
