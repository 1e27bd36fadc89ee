/**
 * The metrics port: Prometheus text at GET /metrics, as Triton's HTTPMetricsServer answers
 * (server src/http_server.cc): `/metrics` or `/metrics/` give the metrics, any other GET path an
 * empty 200, any other method 405 with `{"error":"Method Not Allowed"}`; GET answers are
 * `text/plain; charset=utf-8`. Plain HTTP (Triton's metrics port has no TLS), loopback unless the
 * server's host says otherwise. Read-only: nothing here changes the server.
 */
import { createServer, type Server } from 'node:http';
import type { TritonMetrics } from './registry';

const METRICS_PATH = /^\/metrics\/?$/;

export interface MetricsFront {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsFront(
  metrics: TritonMetrics,
  options: { host: string; port: number },
): Promise<MetricsFront> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Method Not Allowed' }));
      return;
    }
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    const path = (req.url ?? '/').split('?', 1)[0];
    if (!METRICS_PATH.test(path)) {
      res.writeHead(200).end();
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200).end(text),
      (err: unknown) => res.writeHead(500).end(JSON.stringify({ error: (err as Error).message })),
    );
  });
  // Scrapers keep connections open; a bounded header wait keeps idle sockets from piling up.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const host = options.host.replace(/^\[(.*)\]$/, '$1');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
