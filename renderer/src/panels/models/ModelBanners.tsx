/**
 * Banners over the models table: which models failed to load (by name, each a link to its row),
 * and a server that stopped answering (the states below are the last known ones; retry now).
 */
import { useEffect, useState } from 'react';
import { useApp } from '../../state/store';
import { Alert } from '../../components/ui';
import { withoutCode } from '../ConnectionErrorAlert';

const SHOWN_NAMES = 6;

export function FailedBanner({ names }: { names: string[] }) {
  const selectModel = useApp((s) => s.selectModel);
  const setFilter = useApp((s) => s.setModelFilter);
  const filter = useApp((s) => s.modelFilter);
  if (!names.length) return null;
  const shown = names.slice(0, SHOWN_NAMES);
  return (
    <div className="mbanner">
      <Alert kind="err" testId="unavailable-summary">
        <span data-testid="failed-count" data-count={names.length}>
          {names.length} model{names.length > 1 ? 's' : ''} failed to load:
        </span>{' '}
        {shown.map((n, i) => (
          <span key={n}>
            <button className="linklike" onClick={() => selectModel(n)} data-testid={`failed-name-${n}`}>
              {n}
            </button>
            {i < shown.length - 1 ? ', ' : ''}
          </span>
        ))}
        {names.length > shown.length && ` and ${names.length - shown.length} more`}.{' '}
        {filter !== 'failed' && names.length > 1 && (
          <button className="linklike" onClick={() => setFilter('failed')} data-testid="show-failed">
            Show only these
          </button>
        )}
      </Alert>
    </div>
  );
}

/** A production profile: say once, above the table, why its Load/Unload buttons are off. */
export function ReadOnlyBanner({ connectionId }: { connectionId: string }) {
  const readOnly = useApp((s) => !!s.profiles.find((p) => p.id === connectionId)?.readOnly);
  const label = useApp((s) => s.serverLabel(connectionId));
  const setView = useApp((s) => s.setView);
  if (!readOnly) return null;
  return (
    <div className="mbanner">
      <Alert kind="info" testId="read-only-banner">
        {label} is read-only (production): load, unload and apply are off.{' '}
        <button className="linklike" onClick={() => setView('servers')}>
          Change in Servers
        </button>
      </Alert>
    </div>
  );
}

/** The active server does not answer: say since when, when the next check is, and offer one now. */
export function UnreachableBanner({ connectionId }: { connectionId: string }) {
  const st = useApp((s) => s.statuses[connectionId]);
  const label = useApp((s) => s.serverLabel(connectionId));
  const retryNow = useApp((s) => s.retryNow);
  const retrying = useApp((s) => s.busy[connectionId] === 'connecting');
  const nextIn = useCountdown(st?.lastCheckedAt ?? null, st?.nextCheckInMs ?? null);
  if (st?.state !== 'error') return null;
  return (
    <div className="mbanner">
      <Alert kind="warn" title={`${label} is unreachable`} testId="unreachable-banner">
        {st.error && (
          <div className="small">{st.error.explanation?.advice ?? withoutCode(st.error.message, st.error.code)}</div>
        )}
        <div className="row" style={{ marginTop: 6 }}>
          <span className="small grow">
            The states below are the last known ones; load and unload are off until it answers.{' '}
            <span data-testid="next-retry" data-ms={st.nextCheckInMs ?? ''}>
              {nextIn != null ? `Next check in ${nextIn} s` : ''}
              {st.consecutiveFailures > 1 ? ` (${st.consecutiveFailures} failed checks)` : ''}
            </span>
          </span>
          <button
            className="btn small"
            onClick={() => void retryNow(connectionId)}
            disabled={retrying}
            data-testid="retry-now"
          >
            {retrying ? 'Checking…' : 'Retry now'}
          </button>
        </div>
      </Alert>
    </div>
  );
}

/** Whole seconds until lastCheckedAt + delay, ticking once a second. */
export function useCountdown(lastCheckedAt: number | null, delayMs: number | null): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (lastCheckedAt == null || delayMs == null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [lastCheckedAt, delayMs]);
  if (lastCheckedAt == null || delayMs == null) return null;
  // `now` may be up to a tick older than a status that just arrived: never count above the delay.
  return Math.max(0, Math.min(Math.ceil(delayMs / 1000), Math.ceil((lastCheckedAt + delayMs - now) / 1000)));
}
