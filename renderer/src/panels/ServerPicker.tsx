/** Top-bar picker: which server the Models/Config/Inspect views talk to, with its live status. */
import { useApp } from '../state/store';
import { endpointUrl } from '../../../shared/contract/endpoint';
import { DEMO_ID } from '../state/servers';
import { shownConnectionState } from '../lib/connectionState';

export function statusClass(state: string | undefined, ready: boolean | null | undefined): string {
  if (state === 'connected') return ready ? 'ok' : 'warn';
  if (state === 'error') return 'err';
  if (state === 'connecting') return 'warn';
  return '';
}

export function ServerPicker() {
  const profiles = useApp((s) => s.profiles);
  const activeId = useApp((s) => s.activeId);
  const statuses = useApp((s) => s.statuses);
  const setActive = useApp((s) => s.setActive);
  const connect = useApp((s) => s.connect);
  const busy = useApp((s) => (s.activeId ? s.busy[s.activeId] : undefined));
  const known = useApp((s) => s.statusesKnown);
  const st = activeId ? statuses[activeId] : undefined;
  const readOnly = useApp((s) => !!s.profiles.find((p) => p.id === s.activeId)?.readOnly);
  const demoPending = useApp((s) => s.activeId === DEMO_ID && s.demoPending());
  // Until the services have said, the state is unknown, not "disconnected" (no flash of Connect);
  // a demo server being started is "starting" (see shownConnectionState).
  const state = shownConnectionState(st, known, demoPending);
  return (
    <div className="row" data-testid="server-picker" data-state={state}>
      <span
        className={`dot ${statusClass(st?.state, st?.ready)}`}
        title={st ? `${st.state}${st.ready ? ', ready' : ''}` : 'disconnected'}
      />
      <select
        value={activeId ?? ''}
        onChange={(e) => setActive(e.target.value)}
        aria-label="Active server"
        style={{ minWidth: 200 }}
      >
        {profiles.length === 0 && <option value="">No servers</option>}
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} — {endpointUrl(p)}
          </option>
        ))}
      </select>
      {(state === 'checking' || state === 'starting') && <span className="badge">{state}…</span>}
      {state === 'disconnected' && activeId && (
        <button
          className="btn small primary"
          disabled={!!busy}
          onClick={() => void connect(activeId)}
          data-testid="topbar-connect"
        >
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      )}
      {st?.state === 'connected' && (
        <span className={`badge ${st.ready ? 'ok' : 'warn'}`} data-testid="topbar-status">
          {st.live ? 'live' : 'not live'} · {st.ready ? 'ready' : 'not ready'}
        </span>
      )}
      {st?.state === 'error' && <span className="badge err">unreachable</span>}
      {readOnly && (
        <span className="badge warn" title="Read-only (production): load, unload and apply are disabled">
          read-only
        </span>
      )}
    </div>
  );
}
