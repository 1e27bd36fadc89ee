/** One model's rates and mean latencies over time (its versions summed); new points every scrape. */
import { TimeChart } from '../../components/Chart';
import { useMetrics } from './metricsStore';
import { fmtRate, fmtUs } from './format';

export function ModelMetricsCard({ name }: { name: string }) {
  const series = useMetrics((s) => s.history.models[name]);
  const r = series?.latest;
  const slug = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <div
      className="card"
      data-testid={`metrics-model-${name}`}
      data-points={series?.t.length ?? 0}
      data-last-t={series ? series.t[series.t.length - 1] : ''}
      data-rps={r?.requestsPerSec ?? ''}
      data-request-us={r?.avgRequestUs ?? ''}
    >
      <div className="row" style={{ gap: 12, marginBottom: 6, alignItems: 'baseline' }}>
        <span style={{ fontWeight: 600 }}>{name}</span>
        <span className="muted small">v{r?.version ?? '…'}</span>
        <span className="spacer" />
        <span className="mono small">{fmtRate(r?.requestsPerSec)} req</span>
        <span className="mono small">{fmtRate(r?.inferencesPerSec)} inf</span>
        {!!r?.failuresPerSec && <span className="badge err">{fmtRate(r.failuresPerSec)} failed</span>}
        <span className="mono small">avg {fmtUs(r?.avgRequestUs)}</span>
      </div>
      {!series ? (
        <div className="muted small">Two scrapes give the first rate…</div>
      ) : (
        <>
          <TimeChart
            title="Throughput (per second)"
            height={110}
            series={[
              { label: 'requests/s', color: '#4aa3ff' },
              { label: 'inferences/s', color: '#3ecf8e' },
              { label: 'failures/s', color: '#ff6b6b' },
            ]}
            data={[series.t, series.requestsPerSec, series.inferencesPerSec, series.failuresPerSec]}
            testId={`metrics-rate-${slug}`}
          />
          <TimeChart
            title="Mean time per request, per scrape interval"
            height={110}
            series={[
              { label: 'request µs', color: '#4aa3ff' },
              { label: 'queue µs', color: '#f2b84b' },
              { label: 'compute µs', color: '#3ecf8e' },
            ]}
            data={[series.t, series.requestUs, series.queueUs, series.computeUs]}
            yFormat={fmtUs}
            testId={`metrics-latency-${slug}`}
          />
        </>
      )}
    </div>
  );
}
