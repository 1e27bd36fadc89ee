/**
 * A connection's Prometheus metrics: the profile's metrics URL (or its host on Triton's port 8002),
 * read by the main process with the profile's TLS files when the URL is https. Independent of the
 * gRPC connection: Triton serves metrics on a port of their own.
 */
import type { MetricsSnapshot, ParsedRequest } from '../../shared/contract';
import { defaultMetricsUrl } from '../../shared/metrics/families';
import { scrapeMetrics } from '../metrics';
import type { ConnectionManager } from './connections';

/** A scrape that takes longer than this is not worth waiting for: the next poll comes soon. */
const MAX_SCRAPE_MS = 10_000;

export class MetricsService {
  constructor(private readonly connections: ConnectionManager) {}

  /** The URL a profile's metrics are read from. */
  urlOf(connectionId: string): string {
    const profile = this.connections.get(connectionId);
    return profile.metricsUrl ?? defaultMetricsUrl(profile.url);
  }

  async scrape(req: ParsedRequest<'serverMetrics'>): Promise<MetricsSnapshot> {
    const profile = this.connections.get(req.connectionId);
    const url = this.urlOf(req.connectionId);
    const tls = url.startsWith('https:') ? await this.connections.tlsOf(req.connectionId) : undefined;
    return scrapeMetrics(url, { timeoutMs: Math.min(profile.timeoutMs ?? MAX_SCRAPE_MS, MAX_SCRAPE_MS), tls });
  }
}
