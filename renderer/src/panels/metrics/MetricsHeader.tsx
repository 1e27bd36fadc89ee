/** Where the metrics come from and whether the last read worked (changes with every scrape: kept small). */
import { useMetrics } from './metricsStore';

export function MetricsHeader() {
  const url = useMetrics((s) => s.url);
  const error = useMetrics((s) => s.error);
  const scraped = useMetrics((s) => s.lastAt !== null);
  return (
    <span className="row" style={{ gap: 8 }} data-testid="metrics-source">
      {url && <span className="mono small muted">{url}</span>}
      {error ? (
        <span className="badge err" title={error} data-testid="metrics-error">
          {error.length > 120 ? `${error.slice(0, 117)}…` : error}
        </span>
      ) : (
        scraped && (
          <span className="badge ok" data-testid="metrics-ok">
            live
          </span>
        )
      )}
    </span>
  );
}
