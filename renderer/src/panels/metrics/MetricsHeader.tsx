/**
 * Where the metrics come from, whether the last read worked, and how often they are read (changes
 * with every scrape: kept small).
 */
import { METRICS_INTERVALS_MS, useMetrics } from './metricsStore';

export function MetricsHeader() {
  const url = useMetrics((s) => s.url);
  const error = useMetrics((s) => s.error);
  const scraped = useMetrics((s) => s.lastAt !== null);
  const intervalMs = useMetrics((s) => s.intervalMs);
  const setIntervalMs = useMetrics((s) => s.setIntervalMs);
  return (
    <span className="row" style={{ gap: 8 }} data-testid="metrics-source">
      {url && <span className="mono small muted">{url}</span>}
      <label className="row small muted" style={{ gap: 4 }} title="How often the metrics endpoint is read">
        every
        <select
          value={intervalMs}
          onChange={(e) => setIntervalMs(Number(e.target.value))}
          data-testid="metrics-interval"
        >
          {METRICS_INTERVALS_MS.map((ms) => (
            <option key={ms} value={ms}>
              {ms / 1000} s
            </option>
          ))}
        </select>
      </label>
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
