/**
 * The notifications log as a drawer on the right: newest first, each entry with its time, source
 * and repeat count, and the raw detail (error code, message, structured details) one click away.
 */
import { useEffect, useRef } from 'react';
import { useApp } from '../../state/store';
import type { Notice } from '../../state/notifications';

export function NotificationLog() {
  const open = useApp((s) => s.showLog);
  const log = useApp((s) => s.log);
  const setShowLog = useApp((s) => s.setShowLog);
  const clearLog = useApp((s) => s.clearLog);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <aside
      className="log-drawer"
      ref={ref}
      tabIndex={-1}
      aria-label="Notifications log"
      data-testid="log-drawer"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setShowLog(false);
        }
      }}
    >
      <header className="panel-head">
        <span>Notifications · {log.length}</span>
        <span className="spacer" />
        <span className="actions">
          <button className="btn small" onClick={clearLog} disabled={!log.length}>
            Clear
          </button>
          <button className="btn small" onClick={() => setShowLog(false)} data-testid="log-close">
            Close
          </button>
        </span>
      </header>
      <ol className="log-list">
        {[...log].reverse().map((n) => (
          <LogEntry key={n.id} n={n} />
        ))}
        {!log.length && <li className="empty">Nothing yet. Messages and errors of this session are kept here.</li>}
      </ol>
    </aside>
  );
}

function LogEntry({ n }: { n: Notice }) {
  return (
    <li className={`log-entry ${n.kind}`} data-testid="log-entry" data-kind={n.kind}>
      <div className="row" style={{ gap: 6, flexWrap: 'nowrap', alignItems: 'baseline' }}>
        <span className={`badge ${n.kind === 'ok' ? 'ok' : n.kind === 'info' ? 'info' : n.kind}`}>{n.kind}</span>
        <time className="muted small mono" dateTime={new Date(n.at).toISOString()}>
          {fmtTime(n.at)}
        </time>
        {n.count > 1 && (
          <span className="muted small" title={`last at ${fmtTime(n.lastAt)}`}>
            ×{n.count}
          </span>
        )}
      </div>
      <div className="log-text">{n.text}</div>
      {n.source && <div className="muted small">{n.source}</div>}
      {n.detail && (
        <details>
          <summary className="small muted">Raw detail</summary>
          <pre className="mono log-detail" data-testid="log-detail">
            {n.detail}
          </pre>
        </details>
      )}
    </li>
  );
}

function fmtTime(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour12: false });
}
