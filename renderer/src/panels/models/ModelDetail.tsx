/**
 * One model's detail: its failure (prominently), metadata overview, the config the server runs,
 * statistics as rates and charts, and the ensemble graph.
 */
import { useEffect, useState } from 'react';
import { useApp } from '../../state/store';
import { Alert, StateBadge } from '../../components/ui';
import { EnsembleGraph } from '../../components/ensemble/EnsembleGraph';
import { Overview } from './Overview';
import { Statistics } from './Statistics';

/** The embedded server's reason for a backend it cannot execute (electron/server/backends). */
const EMBEDDED_CANNOT_RUN = /the embedded server cannot run/;

type Tab = 'overview' | 'config' | 'stats' | 'ensemble';

export function ModelDetail({ name }: { name: string }) {
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
