/**
 * The Metrics view: the active server's Prometheus endpoint over time. Per model, request and
 * inference rates and mean request / queue / compute times (from counter deltas between scrapes);
 * the server's CPU; its GPUs when it exports GPU metrics, and a plain statement when it does not
 * (Jetson). This component lays out the parts and re-renders only when models or GPUs come or go.
 */
import { useApp } from '../../state/store';
import { Panel } from '../../components/ui';
import { useMetrics } from './metricsStore';
import { MetricsHeader } from './MetricsHeader';
import { ModelMetricsCard } from './ModelMetricsCard';
import { CpuCharts, GpuSection } from './SystemCharts';

export function MetricsView() {
  const conn = useApp((s) => s.activeConnection());
  const modelNames = useMetrics((s) => s.history.modelNames);
  const scraped = useMetrics((s) => s.lastAt !== null);

  if (!conn) {
    return (
      <div className="view" style={{ gridTemplateColumns: '1fr' }}>
        <Panel title="Metrics">
          <div className="muted">Connect to a server (Servers view) to read its metrics.</div>
        </Panel>
      </div>
    );
  }
  return (
    <div className="view grid-metrics" data-testid="metrics-view">
      <Panel title={`Models · ${modelNames.length}`} testId="metrics-models" actions={<MetricsHeader />}>
        {!scraped && <div className="muted">Reading the metrics endpoint…</div>}
        {scraped && modelNames.length === 0 && (
          <div className="muted">The server lists no loaded model in its metrics.</div>
        )}
        {modelNames.map((name) => (
          <ModelMetricsCard key={name} name={name} />
        ))}
      </Panel>
      <Panel title="Server" testId="metrics-system">
        <CpuCharts />
        <GpuSection />
      </Panel>
    </div>
  );
}
