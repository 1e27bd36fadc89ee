/** Saved connection profiles (incl. TLS files), connect/disconnect, live/ready status and metadata. */
import { useEffect, useState } from 'react';
import { useApp } from '../state/store';
import { Alert, Panel } from '../components/ui';
import { statusClass } from './ServerPicker';
import { ProfileEditor } from './profile/ProfileEditor';
import { ConnectionErrorAlert } from './ConnectionErrorAlert';
import { classify, nameList } from '../lib/modelRows';
import { shownConnectionState } from '../lib/connectionState';
import type { ConnectionProfile, ConnectionProfileInput, ConnectionStatus } from '../../../shared/contract';
import { endpointUrl, protocolLabel } from '../../../shared/contract/endpoint';

/** A new profile starts empty: the form shows placeholders, not values that look real. */
function emptyProfile(): ConnectionProfileInput {
  return { name: '', url: '', tls: { enabled: false } };
}

export function ServersView() {
  const profiles = useApp((s) => s.profiles);
  const profilesError = useApp((s) => s.profilesError);
  const activeId = useApp((s) => s.activeId);
  const statuses = useApp((s) => s.statuses);
  const setActive = useApp((s) => s.setActive);
  const [editing, setEditing] = useState<ConnectionProfileInput | null>(null);

  const selected = profiles.find((p) => p.id === activeId) ?? null;

  return (
    <div className="view grid-servers">
      <Panel
        title="Servers"
        flush
        testId="servers-list"
        actions={
          <button className="btn small" onClick={() => setEditing(emptyProfile())} data-testid="add-server">
            + Add
          </button>
        }
      >
        {profilesError && (
          <Alert kind="err" title="Could not list saved servers">
            {profilesError}
          </Alert>
        )}
        <ul className="list">
          {profiles.map((p) => {
            const st = statuses[p.id];
            return (
              <li
                key={p.id}
                className={p.id === activeId ? 'selected' : ''}
                onClick={() => {
                  setActive(p.id);
                  setEditing(null);
                }}
                data-testid={`server-${p.builtin ? p.id : p.name}`}
              >
                <span className={`dot ${statusClass(st?.state, st?.ready)}`} />
                <div className="grow" style={{ minWidth: 0 }}>
                  <div style={{ fontWeight: 550 }}>
                    {p.name} {p.builtin && <span className="badge info">demo</span>}{' '}
                    <span className="badge" data-testid="server-protocol">
                      {protocolLabel(p.protocol)}
                    </span>
                  </div>
                  <div className="muted mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                    {endpointUrl(p)}
                  </div>
                </div>
              </li>
            );
          })}
          {!profiles.length && !profilesError && <div className="empty">No saved servers yet.</div>}
        </ul>
      </Panel>
      {editing ? (
        <ProfileEditor initial={editing} onDone={() => setEditing(null)} />
      ) : selected ? (
        <ServerDetail
          profile={selected}
          onEdit={() => setEditing({ ...selected, tls: selected.tls ?? { enabled: false } })}
        />
      ) : (
        <Panel title="Server">
          <div className="empty">Pick or add a server.</div>
        </Panel>
      )}
    </div>
  );
}

/**
 * "N s ago", ticking once a second on its own: only this text re-renders, not the whole server
 * detail (its metadata, model lists and TLS details) every second while the view sits open.
 */
function SecondsAgo({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <>{`${Math.max(0, Math.round((now - since) / 1000))} s ago`}</>;
}

function ServerDetail({ profile, onEdit }: { profile: ConnectionProfile; onEdit: () => void }) {
  const st = useApp((s): ConnectionStatus | undefined => s.statuses[profile.id]);
  const busy = useApp((s) => s.busy[profile.id]);
  const err = useApp((s) => s.connectErrors[profile.id]);
  const connect = useApp((s) => s.connect);
  const disconnect = useApp((s) => s.disconnect);
  const deleteProfile = useApp((s) => s.deleteProfile);
  const askConfirm = useApp((s) => s.askConfirm);
  const known = useApp((s) => s.statusesKnown);
  const demoPending = useApp((s) => !!profile.builtin && s.demoPending());
  // Never a "disconnected" that is not true (see shownConnectionState).
  const shownState = shownConnectionState(st, known, demoPending);
  const demo = useApp((s) => s.demo);
  const connected = st && st.state !== 'disconnected';
  return (
    <Panel
      title={profile.name}
      testId="server-detail"
      busy={!!busy}
      actions={
        <>
          {!profile.builtin && (
            <>
              <button className="btn small" onClick={onEdit}>
                Edit
              </button>
              <button
                className="btn small danger"
                data-testid="delete-profile"
                onClick={() =>
                  askConfirm({
                    title: `Delete the profile “${profile.name}”?`,
                    lines: [
                      `The saved connection to ${profile.url} is removed${connected ? ' and disconnected' : ''}.`,
                      'The server itself is not changed; you can add the profile again later.',
                    ],
                    confirmLabel: 'Delete profile',
                    danger: true,
                    onConfirm: () => void deleteProfile(profile.id),
                  })
                }
              >
                Delete…
              </button>
            </>
          )}
          {connected ? (
            <button
              className="btn small"
              onClick={() => void disconnect(profile.id)}
              disabled={!!busy}
              data-testid="disconnect"
            >
              Disconnect
            </button>
          ) : (
            <button
              className="btn small primary"
              onClick={() => void connect(profile.id)}
              disabled={!!busy || shownState !== 'disconnected'}
              data-testid="connect"
            >
              {busy === 'connecting' || shownState === 'starting' ? 'Connecting…' : 'Connect'}
            </button>
          )}
        </>
      }
    >
      {err && (
        <Alert kind="err" title="Connection failed" testId="connect-error">
          {err}
        </Alert>
      )}
      {st?.error && (
        // Full width above the cards: a long gRPC message must not stretch the status card.
        <ConnectionErrorAlert
          error={st.error}
          title={st.state === 'error' ? `Server not reachable (${st.error.code})` : st.error.code}
          testId="server-error"
        />
      )}
      {st?.state === 'connected' && st.live && st.ready === false && <NotReadyHint profileId={profile.id} />}
      {profile.builtin && (
        <Alert kind="info">
          The embedded demo server runs the bundled demo model repository on this machine (no Jetson needed).
          {demo?.url && ` Listening on ${demo.url}.`}
        </Alert>
      )}
      <div className="row" style={{ gap: 24, alignItems: 'flex-start' }}>
        <div className="card" style={{ minWidth: 280 }}>
          <div className="section-title">Status</div>
          <dl className="kv" data-testid="server-status" data-state={shownState} data-ready={String(!!st?.ready)}>
            <dt>Connection</dt>
            <dd>
              <span className={`badge ${statusClass(st?.state, st?.ready)}`}>
                {shownState === 'checking' || shownState === 'starting' ? `${shownState}…` : shownState}
              </span>
            </dd>
            <dt>Live</dt>
            <dd data-testid="server-live">{fmtBool(st?.live)}</dd>
            <dt>Ready</dt>
            <dd data-testid="server-ready">{fmtBool(st?.ready)}</dd>
            <dt>Latency</dt>
            <dd>{st?.latencyMs != null ? `${st.latencyMs.toFixed(1)} ms` : '–'}</dd>
            <dt>Last check</dt>
            <dd>{st?.lastCheckedAt ? <SecondsAgo since={st.lastCheckedAt} /> : '–'}</dd>
            <dt>Next check</dt>
            <dd>
              {st?.nextCheckInMs != null
                ? `in ${(st.nextCheckInMs / 1000).toFixed(0)} s${st.consecutiveFailures ? ` (backoff, ${st.consecutiveFailures} failures)` : ''}`
                : '–'}
            </dd>
          </dl>
        </div>
        <div className="card" style={{ minWidth: 280, flex: 1 }}>
          <div className="section-title">Server metadata</div>
          {st?.metadata ? (
            <dl className="kv" data-testid="server-metadata">
              <dt>Name</dt>
              <dd>{st.metadata.name}</dd>
              <dt>Version</dt>
              <dd>{st.metadata.version}</dd>
              <dt>Extensions</dt>
              <dd>
                <div className="row" style={{ gap: 4 }}>
                  {st.metadata.extensions.map((x) => (
                    <span key={x} className="badge">
                      {x}
                    </span>
                  ))}
                </div>
              </dd>
            </dl>
          ) : (
            <div className="muted">Connect to read the server metadata.</div>
          )}
        </div>
        <div className="card" style={{ minWidth: 260 }}>
          <div className="section-title">Profile</div>
          <dl className="kv">
            <dt>Endpoint</dt>
            <dd>{profile.url}</dd>
            <dt>Protocol</dt>
            <dd data-testid="profile-protocol">{protocolLabel(profile.protocol)}</dd>
            <dt>TLS</dt>
            <dd>{profile.tls?.enabled ? (profile.tls.insecure ? 'on (no verification)' : 'on') : 'off'}</dd>
            {profile.tls?.caPath && (
              <>
                <dt>CA</dt>
                <dd>{profile.tls.caPath}</dd>
              </>
            )}
            {profile.tls?.certPath && (
              <>
                <dt>Client cert</dt>
                <dd>{profile.tls.certPath}</dd>
              </>
            )}
            {profile.tls?.keyPath && (
              <>
                <dt>Client key</dt>
                <dd>{profile.tls.keyPath}</dd>
              </>
            )}
            {profile.tls?.serverName && (
              <>
                <dt>Server name</dt>
                <dd>{profile.tls.serverName}</dd>
              </>
            )}
            <dt>Deadline</dt>
            <dd>{profile.timeoutMs ? `${profile.timeoutMs} ms` : 'default'}</dd>
            <dt>Changes</dt>
            <dd>
              <ReadOnlyToggle profile={profile} />
            </dd>
          </dl>
        </div>
      </div>
    </Panel>
  );
}

/** Marks a saved profile read-only (production): load, unload and apply are then disabled. */
function ReadOnlyToggle({ profile }: { profile: ConnectionProfile }) {
  const setReadOnly = useApp((s) => s.setReadOnly);
  if (profile.builtin) return <span className="muted">allowed (demo server)</span>;
  return (
    <label
      className="check"
      title="A production server: load, unload and apply are disabled in the app and refused by its services"
    >
      <input
        type="checkbox"
        checked={!!profile.readOnly}
        onChange={(e) => void setReadOnly(profile.id, e.target.checked)}
        data-testid="profile-readonly"
      />
      read-only (production)
    </label>
  );
}

/** Live but not ready: in Triton that almost always means a model failed to load. Say so. */
function NotReadyHint({ profileId }: { profileId: string }) {
  const isActive = useApp((s) => s.activeId === profileId);
  // A string, not an array: a fresh array per call would re-render forever (zustand compares by identity).
  const failedNames = useApp((s) =>
    isActive
      ? s.index
          .filter((m) => classify(m.state ?? '', m.reason ?? '') === 'failed')
          .map((m) => m.name)
          .join(', ')
      : '',
  );
  const failed = failedNames ? failedNames.split(', ') : [];
  const setView = useApp((s) => s.setView);
  return (
    <Alert kind="warn" testId="not-ready-hint">
      The server is live but not ready.{' '}
      {failed.length
        ? `${failed.length} model${failed.length > 1 ? 's' : ''} failed to load (${nameList(failed)}); Triton reports not-ready while a model it was asked to load is UNAVAILABLE.`
        : 'Triton reports not-ready while a model is still loading or failed to load.'}{' '}
      <button
        className="btn small"
        onClick={() => {
          if (failed.length) useApp.getState().setModelFilter('failed');
          setView('models');
        }}
      >
        {failed.length ? 'Show failed models' : 'Show models'}
      </button>
    </Alert>
  );
}

function fmtBool(v: boolean | null | undefined) {
  if (v === true) return <span style={{ color: 'var(--ok)' }}>yes</span>;
  if (v === false) return <span style={{ color: 'var(--err)' }}>no</span>;
  return '–';
}
