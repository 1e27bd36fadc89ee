/**
 * The active server's repository index (state + failure reason up front), and per model: metadata
 * with effective shapes, the loaded config, statistics as rates/charts, and the ensemble graph.
 */
import { configText } from '../lib/configText';
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../state/store';
import { Alert, Panel, StateBadge, fmtMs, fmtShape } from '../components/ui';
import { TimeChart } from '../components/Chart';
import { EnsembleGraph, ensembleSteps } from '../components/ensemble/EnsembleGraph';
import { meanMs, ratesFrom } from '../lib/stats';

/** The embedded server's reason for a backend it cannot execute (electron/server/backends). */
const EMBEDDED_CANNOT_RUN = /the embedded server cannot run/;

export function ModelsView() {
  const conn = useApp((s) => s.activeConnection());
  const index = useApp((s) => s.index);
  const indexStatus = useApp((s) => s.indexStatus);
  const indexError = useApp((s) => s.indexError);
  const selected = useApp((s) => s.selectedModel);
  const selectModel = useApp((s) => s.selectModel);
  const refreshIndex = useApp((s) => s.refreshIndex);
  const busy = useApp((s) => s.modelBusy);
  const errors = useApp((s) => s.modelErrors);
  const loadModel = useApp((s) => s.loadModel);
  const unloadModel = useApp((s) => s.unloadModel);
  const sampleStatistics = useApp((s) => s.sampleStatistics);

  // Index auto-refresh while visible (states change as models load/unload). Statistics are
  // sampled app-wide (useStatsSampling) so the history is there when this view opens.
  useEffect(() => {
    if (!conn) return;
    void refreshIndex();
    void sampleStatistics();
    const a = setInterval(() => void refreshIndex(), 5000);
    return () => clearInterval(a);
  }, [conn, refreshIndex, sampleStatistics]);

  if (!conn) {
    return (
      <div className="view" style={{ gridTemplateColumns: '1fr' }}>
        <Panel title="Models">
          <NotConnected />
        </Panel>
      </div>
    );
  }

  const unavailable = index.filter((m) => m.state === 'UNAVAILABLE').length;

  return (
    <div className="view grid-models">
      <Panel
        title={`Repository index · ${index.length} models`}
        flush
        testId="models-index"
        busy={indexStatus === 'loading'}
        actions={
          <button className="btn small" onClick={() => void refreshIndex()} title="Refresh the index">
            Refresh
          </button>
        }
      >
        {indexError && (
          <div style={{ padding: 10 }}>
            <Alert kind="err" title="Repository index failed">
              {indexError}
            </Alert>
          </div>
        )}
        {unavailable > 0 && (
          <div style={{ padding: '8px 10px 0' }}>
            <Alert kind="err" testId="unavailable-summary">
              {unavailable} model{unavailable > 1 ? 's' : ''} failed to load — the reason is shown under each.
            </Alert>
          </div>
        )}
        <table className="grid">
          <thead>
            <tr>
              <th>Model</th>
              <th style={{ width: 50 }}>Ver.</th>
              <th style={{ width: 110 }}>State</th>
              <th style={{ width: 136 }} />
            </tr>
          </thead>
          <tbody>
            {index.map((m) => (
              <tr
                key={`${m.name}/${m.version}`}
                className={`clickable ${m.name === selected ? 'selected' : ''}`}
                onClick={() => selectModel(m.name)}
                data-testid={`model-row-${m.name}`}
                data-state={m.state}
              >
                <td>
                  <div style={{ fontWeight: 550 }}>{m.name}</div>
                  {m.reason && (
                    <div className="reason" data-testid="model-reason">
                      {m.reason}
                    </div>
                  )}
                  {errors[m.name] && <div className="reason">{errors[m.name]}</div>}
                </td>
                <td className="num">{m.version || '–'}</td>
                <td>
                  <StateBadge
                    state={
                      busy[m.name] === 'loading' ? 'LOADING' : busy[m.name] === 'unloading' ? 'UNLOADING' : m.state
                    }
                  />
                </td>
                <td style={{ textAlign: 'right' }} onClick={(e) => e.stopPropagation()}>
                  <div className="row" style={{ justifyContent: 'flex-end', gap: 4, flexWrap: 'nowrap' }}>
                    <button
                      className="btn small"
                      disabled={!!busy[m.name]}
                      onClick={() => void loadModel(m.name)}
                      data-testid={`load-${m.name}`}
                    >
                      {m.state === 'READY' ? 'Reload' : 'Load'}
                    </button>
                    <button
                      className="btn small"
                      disabled={!!busy[m.name] || m.state !== 'READY'}
                      onClick={() => void unloadModel(m.name)}
                      data-testid={`unload-${m.name}`}
                    >
                      Unload
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {indexStatus === 'ok' && !index.length && <div className="empty">The repository is empty.</div>}
      </Panel>
      {/* Only a model this server lists: a selection kept from another server (or from before the
          server went down) would otherwise pose as "not loaded". */}
      {selected && index.some((m) => m.name === selected) ? (
        <ModelDetail key={selected} name={selected} />
      ) : (
        <Panel title="Model">
          <div className="empty">
            {indexStatus === 'error'
              ? 'The repository index could not be read (see the left).'
              : index.length
                ? 'Select a model.'
                : 'No models.'}
          </div>
        </Panel>
      )}
    </div>
  );
}

export function NotConnected() {
  const setView = useApp((s) => s.setView);
  return (
    <div className="empty" data-testid="not-connected">
      Not connected to a server.{' '}
      <button className="btn small" onClick={() => setView('servers')}>
        Open Servers
      </button>
    </div>
  );
}

type Tab = 'overview' | 'config' | 'stats' | 'ensemble';

function ModelDetail({ name }: { name: string }) {
  const entry = useApp((s) => s.index.find((m) => m.name === name));
  const meta = useApp((s) => s.metadata[name]);
  const cfg = useApp((s) => s.configs[name]);
  const fetchMetadata = useApp((s) => s.fetchMetadata);
  const fetchConfig = useApp((s) => s.fetchConfig);
  // A step of the ensemble graph opens its model here.
  const selectStepModel = useApp((s) => s.selectModel);
  const [tab, setTab] = useState<Tab>('overview');
  const ready = entry?.state === 'READY';

  useEffect(() => {
    if (ready) {
      void fetchMetadata(name);
      void fetchConfig(name);
    }
  }, [name, ready, fetchMetadata, fetchConfig]);

  const config = cfg?.status === 'ok' ? cfg.value.config : undefined;
  const isEnsemble = (config?.platform as string | undefined) === 'ensemble';

  return (
    <section className="panel" data-testid="model-detail">
      <header className="panel-head">
        <span style={{ textTransform: 'none', letterSpacing: 0, fontSize: 13 }}>{name}</span>
        {entry && <StateBadge state={entry.state} />}
        <span className="spacer" />
      </header>
      <div className="tabs">
        {(['overview', 'config', 'stats', ...(isEnsemble ? ['ensemble'] : [])] as Tab[]).map((t) => (
          <button
            key={t}
            className={tab === t ? 'active' : ''}
            onClick={() => setTab(t)}
            data-testid={`model-tab-${t}`}
          >
            {t === 'stats' ? 'Statistics' : t[0].toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="panel-body">
        {entry?.state === 'UNAVAILABLE' &&
          (EMBEDDED_CANNOT_RUN.test(entry.reason ?? '') ? (
            // e.g. the demo repository's TensorRT twin: expected here, not a fault of the model
            <Alert kind="warn" title="Expected on the embedded demo server" testId="model-failure">
              {entry.reason} The built-in server runs only ONNX Runtime models; on a real Triton with this backend the
              model loads.
            </Alert>
          ) : (
            <Alert kind="err" title="Model failed to load" testId="model-failure">
              {entry.reason || 'No reason given by the server.'}
            </Alert>
          ))}
        {!ready && entry?.state !== 'UNAVAILABLE' && (
          <Alert kind="warn">The model is not loaded; metadata and config are available once it is READY.</Alert>
        )}
        {tab === 'overview' && ready && <Overview name={name} />}
        {tab === 'config' && ready && (
          <>
            {cfg?.status === 'error' && <Alert kind="err">{cfg.error}</Alert>}
            {cfg?.status === 'ok' && (
              <pre className="mono" style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="loaded-config">
                {cfg.value.pbtxt ?? JSON.stringify(cfg.value.config, null, 2)}
              </pre>
            )}
          </>
        )}
        {tab === 'stats' && <Statistics name={name} />}
        {tab === 'ensemble' && config && <EnsembleGraph config={config} onOpenStep={selectStepModel} />}
        {meta?.status === 'error' && tab === 'overview' && <Alert kind="err">{meta.error}</Alert>}
      </div>
    </section>
  );
}

function Overview({ name }: { name: string }) {
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

function Statistics({ name }: { name: string }) {
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

/** Samples the active server's statistics every 2 s while connected (cumulative counters -> rates). */
export function useStatsSampling(): void {
  const conn = useApp((s) => s.activeConnection());
  useEffect(() => {
    if (!conn) return;
    let busy = false;
    const t = setInterval(() => {
      if (busy) return; // never stack requests when the server is slow
      busy = true;
      void useApp
        .getState()
        .sampleStatistics()
        .finally(() => (busy = false));
    }, 2000);
    return () => clearInterval(t);
  }, [conn]);
}
