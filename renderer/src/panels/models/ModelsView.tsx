/**
 * The Models view: the active server's repository index as a searchable, filterable, sortable,
 * virtualized table (failures first and named in a banner; models the user unloaded apart from
 * failures; per-row traffic), and the selected model's detail.
 */
import { useEffect, useMemo } from 'react';
import { useApp } from '../../state/store';
import { Alert, Panel } from '../../components/ui';
import { buildRows, failedNames, filterRows, sortRows } from '../../lib/modelRows';
import { FailedBanner, ReadOnlyBanner, UnreachableBanner } from './ModelBanners';
import { ModelToolbar } from './ModelToolbar';
import { ModelTable } from './ModelTable';
import { ModelDetail } from './ModelDetail';
import '../../styles/models.css';

const INDEX_REFRESH_MS = 5000;

export function ModelsView() {
  const conn = useApp((s) => s.activeConnection());
  const stale = useApp((s) => !!conn && s.statuses[conn]?.state === 'error');
  const index = useApp((s) => s.index);
  const indexStatus = useApp((s) => s.indexStatus);
  const indexError = useApp((s) => s.indexError);
  const selected = useApp((s) => s.selectedModel);
  const refreshIndex = useApp((s) => s.refreshIndex);
  const sampleStatistics = useApp((s) => s.sampleStatistics);
  const busy = useApp((s) => s.modelBusy);
  const unloadedByUser = useApp((s) => s.unloadedByUser);
  const statsHistory = useApp((s) => s.statsHistory);
  const query = useApp((s) => s.modelQuery);
  const filter = useApp((s) => s.modelFilter);
  const sort = useApp((s) => s.modelSort);

  // Index auto-refresh while visible (states change as models load/unload), except while the
  // server does not answer: the status poll notices its return and the index is read again then.
  // Statistics are sampled app-wide (useStatsSampling) so the history is there when this opens.
  useEffect(() => {
    if (!conn || stale) return;
    void refreshIndex();
    void sampleStatistics();
    const a = setInterval(() => void refreshIndex(), INDEX_REFRESH_MS);
    return () => clearInterval(a);
  }, [conn, stale, refreshIndex, sampleStatistics]);

  const rows = useMemo(
    () => (conn ? buildRows(index, { busy, unloadedByUser, connectionId: conn, statsHistory }) : []),
    [index, busy, unloadedByUser, conn, statsHistory],
  );
  const shown = useMemo(() => sortRows(filterRows(rows, query, filter), sort), [rows, query, filter, sort]);
  const failed = useMemo(() => failedNames(rows), [rows]);

  if (!conn) {
    return (
      <div className="view" style={{ gridTemplateColumns: '1fr' }}>
        <Panel title="Models">
          <NotConnected />
        </Panel>
      </div>
    );
  }

  return (
    <div className="view grid-models">
      <Panel
        title={
          <>
            Repository index · {index.length} models
            <span data-testid="models-shown" data-shown={shown.length} data-total={rows.length}>
              {shown.length !== rows.length && ` · ${shown.length} shown`}
            </span>
          </>
        }
        flush
        testId="models-index"
        busy={indexStatus === 'loading'}
        actions={
          <button className="btn small" onClick={() => void refreshIndex()} title="Refresh the index" disabled={stale}>
            Refresh
          </button>
        }
      >
        <div className="models-pane">
          <UnreachableBanner connectionId={conn} />
          <ReadOnlyBanner connectionId={conn} />
          {indexError && !stale && (
            <div className="mbanner">
              <Alert kind="err" title="Repository index failed">
                {indexError}
              </Alert>
            </div>
          )}
          <FailedBanner names={failed} />
          <ModelToolbar />
          <ModelTable rows={shown} connectionId={conn} stale={stale} />
          {indexStatus === 'ok' && !index.length && <div className="empty">The repository is empty.</div>}
          {rows.length > 0 && !shown.length && <div className="empty">No model matches the search and filter.</div>}
        </div>
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
