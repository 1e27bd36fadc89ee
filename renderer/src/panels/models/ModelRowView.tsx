/** One row of the models table: name and reason, version, state, traffic, actions. */
import { memo } from 'react';
import { StateBadge } from '../../components/ui';
import type { ModelRow } from '../../lib/modelRows';
import { ModelActions } from './ModelActions';

export interface RowViewProps {
  row: ModelRow;
  index: number;
  selected: boolean;
  /** The server is unreachable: the state is the last one known, not a live one. */
  stale: boolean;
  error?: string;
  connectionId: string;
  onSelect(name: string): void;
  measure(el: HTMLElement | null): void;
  top: number;
}

export const ModelRowView = memo(function ModelRowView(p: RowViewProps) {
  const { row } = p;
  // A failed load repeats the server's reason inside its error text: say it once.
  const showError = !!p.error && !(row.reason && p.error.includes(row.reason));
  return (
    <div
      ref={p.measure}
      data-index={p.index}
      id={`model-row-${p.index}`}
      role="row"
      aria-selected={p.selected}
      className={`mrow ${p.selected ? 'selected' : ''} status-${row.status}`}
      style={{ transform: `translateY(${p.top}px)` }}
      onClick={() => p.onSelect(row.name)}
      data-testid={`model-row-${row.name}`}
      data-state={row.state}
      data-status={row.status}
      data-stale={p.stale || undefined}
    >
      <div role="gridcell" className="mcell-name">
        <div className="mname">
          <BreakableName name={row.name} />
          {row.version && <span className="mver-inline muted"> · v{row.version}</span>}
        </div>
        {row.status === 'ready' && (
          <div className="mtraffic-inline muted">
            <Traffic row={row} />
          </div>
        )}
      </div>
      <div role="gridcell" className="mcell-ver num">
        {row.version || '–'}
      </div>
      <div role="gridcell" className="mcell-state">
        {p.stale ? (
          <span
            className="badge stale"
            data-testid="model-state"
            title={`The server is unreachable. Last known state: ${row.state || 'NOT LOADED'}`}
          >
            UNKNOWN
          </span>
        ) : row.status === 'unloaded' ? (
          <span className="badge" data-testid="model-state" title="UNAVAILABLE: unloaded on request">
            UNLOADED
          </span>
        ) : (
          <StateBadge state={row.state} />
        )}
      </div>
      <div role="gridcell" className="mcell-traffic num" data-testid="model-traffic">
        <Traffic row={row} />
      </div>
      <div role="gridcell" className="mcell-actions">
        <ModelActions row={row} connectionId={p.connectionId} />
      </div>
      {/* Under the whole row, not squeezed into the name column: reasons are long. */}
      {(row.status === 'failed' || row.status === 'unloaded' || showError) && (
        <div className="mnotes">
          {row.status === 'failed' && (
            <div className="reason" data-testid="model-reason" title={row.reason}>
              {row.reason}
            </div>
          )}
          {row.status === 'unloaded' && (
            <div className="muted small" data-testid="model-unloaded-note">
              {row.unloadedByYou ? 'unloaded by you' : 'unloaded on request'}
            </div>
          )}
          {showError && <div className="reason">{p.error}</div>}
        </div>
      )}
    </div>
  );
});

/** Long model names wrap after '_', '-' or '.' (then anywhere), not in the middle of a word. */
function BreakableName({ name }: { name: string }) {
  const parts = name.split(/(?<=[_.-])/);
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 && <wbr />}
        </span>
      ))}
    </>
  );
}

function Traffic({ row }: { row: ModelRow }) {
  return (
    <>
      <span title="Requests per second over the last statistics interval">
        {row.rps == null ? '–' : `${fmtRate(row.rps)}/s`}
      </span>
      <span
        className={row.avgSinceLoad ? 'muted' : ''}
        title={
          row.avgSinceLoad
            ? 'Average request time since the model was loaded (no requests in the last interval)'
            : 'Average request time over the last statistics interval'
        }
      >
        {row.avgMs == null ? '–' : fmtAvg(row.avgMs)}
      </span>
    </>
  );
}

function fmtRate(r: number): string {
  return r === 0 ? '0' : r < 10 ? r.toFixed(1) : String(Math.round(r));
}

function fmtAvg(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
