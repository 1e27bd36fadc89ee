/** A loaded model's metadata: platform, versions, batching, instances and tensors with effective shapes. */
import { configText } from '../../lib/configText';
import { useApp } from '../../state/store';
import { fmtShape } from '../../components/ui';
import { ensembleSteps } from '../../components/ensemble/EnsembleGraph';

export function Overview({ name }: { name: string }) {
  const meta = useApp((s) => s.metadata[name]);
  const cfg = useApp((s) => s.configs[name]);
  if (meta?.status !== 'ok') return <div className="muted">Loading metadata…</div>;
  const m = meta.value;
  const config = cfg?.status === 'ok' ? cfg.value.config : undefined;
  const maxBatch = Number(config?.max_batch_size ?? 0);
  const steps = config ? ensembleSteps(config) : [];
  const dyn = config?.dynamic_batching as Record<string, unknown> | undefined;
  const groups = (config?.instance_group as { count?: number; kind?: string }[] | undefined) ?? [];
  const cfgDims = (list: unknown, tname: string): number[] | undefined => {
    const t = (list as { name: string; dims?: number[] }[] | undefined)?.find((x) => x.name === tname);
    return t?.dims?.map(Number);
  };
  return (
    <div data-testid="model-overview">
      <dl className="kv" style={{ marginBottom: 14 }}>
        <dt>Platform</dt>
        <dd>{m.platform || (config?.backend as string) || '–'}</dd>
        <dt>Versions</dt>
        <dd>{m.versions.join(', ') || '–'}</dd>
        <dt>Max batch size</dt>
        <dd>
          {config
            ? maxBatch > 0
              ? `${maxBatch} (batch dim is implicit in config dims)`
              : '0 (no batching: dims are the full shape)'
            : '–'}
        </dd>
        <dt>Dynamic batching</dt>
        <dd>
          {dyn
            ? `on${dyn.max_queue_delay_microseconds ? `, max queue delay ${configText(dyn.max_queue_delay_microseconds)} µs` : ''}${Array.isArray(dyn.preferred_batch_size) && dyn.preferred_batch_size.length ? `, preferred ${JSON.stringify(dyn.preferred_batch_size)}` : ''}`
            : 'off'}
        </dd>
        <dt>Instances</dt>
        <dd>{groups.length ? groups.map((g) => `${g.count ?? 1}× ${g.kind ?? 'KIND_AUTO'}`).join(', ') : 'default'}</dd>
        {steps.length > 0 && (
          <>
            <dt>Ensemble steps</dt>
            <dd>{steps.map((s) => s.model).join(' → ')}</dd>
          </>
        )}
      </dl>
      {(['inputs', 'outputs'] as const).map((k) => (
        <div className="section" key={k}>
          <div className="section-title">{k}</div>
          <table className="grid" data-testid={`tensors-${k}`}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Datatype</th>
                <th>Effective shape (server)</th>
                <th>Config dims</th>
              </tr>
            </thead>
            <tbody>
              {m[k].map((t) => {
                const dims = cfgDims(k === 'inputs' ? config?.input : config?.output, t.name);
                return (
                  <tr key={t.name}>
                    <td className="mono">{t.name}</td>
                    <td className="mono">{t.datatype}</td>
                    <td className="mono">
                      {fmtShape(t.shape)}
                      {t.shape[0] === -1 && maxBatch > 0 && <span className="muted"> (batch ≤ {maxBatch})</span>}
                    </td>
                    <td className="mono">{dims ? fmtShape(dims) : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
