/** A model's statistics: totals, throughput and per-request time per sampling interval, batch sizes. */
import { useMemo } from 'react';
import { useApp } from '../../state/store';
import { Alert, fmtMs } from '../../components/ui';
import { TimeChart } from '../../components/Chart';
import { meanMs, ratesFrom } from '../../lib/stats';

export function Statistics({ name }: { name: string }) {
  const samples = useApp((s) => s.statsHistory[name]);
  const statsError = useApp((s) => s.statsError);
  const rates = useMemo(() => ratesFrom(samples ?? []), [samples]);
  const last = samples?.[samples.length - 1]?.entry;
  if (statsError) return <Alert kind="err">{statsError}</Alert>;
  if (!last) return <div className="muted">Collecting statistics…</div>;
  const s = last.inferenceStats;
  const n = s.success.count;
  return (
    <div data-testid="model-stats">
      <div className="row" style={{ gap: 10, marginBottom: 10 }}>
        {[
          ['Requests', String(n)],
          ['Failures', String(s.fail.count)],
          ['Executions', String(last.executionCount)],
          ['Avg request', fmtMs(meanMs(s.success))],
          ['Avg queue', fmtMs(meanMs({ count: n, ns: s.queue.ns }))],
          ['Avg compute', fmtMs(meanMs({ count: n, ns: s.computeInfer.ns }))],
          ['Now', `${(rates.rps[rates.rps.length - 1] ?? 0).toFixed(1)} req/s`],
        ].map(([k, v]) => (
          <div className="card" key={k} style={{ margin: 0, padding: '6px 10px', minWidth: 92 }}>
            <div className="muted small">{k}</div>
            <div className="mono" style={{ fontSize: 14 }}>
              {v}
            </div>
          </div>
        ))}
      </div>
      <TimeChart
        title="Throughput (requests/s)"
        series={[{ label: 'req/s', color: '#4aa3ff' }]}
        data={[rates.t, rates.rps]}
        testId="chart-throughput"
      />
      <TimeChart
        title="Per-request time (ms), per sampling interval"
        series={[
          { label: 'total', color: '#4aa3ff', unit: ' ms' },
          { label: 'queue', color: '#f2b84b', unit: ' ms' },
          { label: 'compute', color: '#3ecf8e', unit: ' ms' },
        ]}
        data={[rates.t, rates.latency, rates.queue, rates.compute]}
      />
      {last.batchStats.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Batch size</th>
              <th>Executions</th>
              <th>Avg compute</th>
            </tr>
          </thead>
          <tbody>
            {last.batchStats.map((b) => (
              <tr key={b.batchSize}>
                <td className="num">{b.batchSize}</td>
                <td className="num">{b.computeInfer.count}</td>
                <td className="num">{fmtMs(meanMs(b.computeInfer))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
