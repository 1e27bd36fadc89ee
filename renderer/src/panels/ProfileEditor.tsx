/** Editing a connection profile: name, host:port URL, protocol, metrics URL, timeout, TLS / mutual TLS file paths. */
import { useState } from 'react';
import { useApp } from '../state/store';
import { Alert, Panel } from '../components/ui';
import { MetricsUrlSchema, type ConnectionProfileInput } from '../../../shared/contract';
import { defaultMetricsUrl } from '../../../shared/metrics/families';
import { DEFAULT_PORT, httpEndpoint } from '../../../shared/contract/endpoint';
import { ProtocolSelect } from './ProtocolSelect';

export function ProfileEditor({ initial, onDone }: { initial: ConnectionProfileInput; onDone: () => void }) {
  const saveProfile = useApp((s) => s.saveProfile);
  const [p, setP] = useState<ConnectionProfileInput>(initial);
  const [saving, setSaving] = useState(false);
  const tls = p.tls ?? { enabled: false };
  const urlOk = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(p.url);
  const setTls = (patch: Partial<typeof tls>) => setP({ ...p, tls: { ...tls, ...patch } });
  const clean = (s: string) => (s.trim() ? s.trim() : undefined);
  const metricsOk = !p.metricsUrl || MetricsUrlSchema.safeParse(p.metricsUrl).success;
  return (
    <Panel title={initial.id ? `Edit ${initial.name}` : 'New server'} testId="profile-editor">
      <form
        style={{ maxWidth: 560 }}
        onSubmit={async (e) => {
          e.preventDefault();
          if (!urlOk || !metricsOk) return;
          setSaving(true);
          const saved = await saveProfile({
            ...p,
            metricsUrl: clean(p.metricsUrl ?? ''),
            tls: tls.enabled
              ? {
                  enabled: true,
                  caPath: clean(tls.caPath ?? ''),
                  certPath: clean(tls.certPath ?? ''),
                  keyPath: clean(tls.keyPath ?? ''),
                  insecure: !!tls.insecure,
                }
              : { enabled: false },
          });
          setSaving(false);
          if (saved) {
            useApp.getState().setActive(saved.id);
            onDone();
          }
        }}
      >
        <label className="field">
          Name
          <input
            type="text"
            value={p.name}
            onChange={(e) => setP({ ...p, name: e.target.value })}
            required
            data-testid="profile-name"
          />
        </label>
        <label className="field">
          Endpoint
          <input
            type="text"
            value={p.url}
            onChange={(e) => {
              // A pasted http:// or https:// address sets the protocol (and TLS) and keeps host:port.
              const http = httpEndpoint(e.target.value);
              setP(
                http
                  ? { ...p, url: http.url, protocol: 'http', tls: { ...tls, enabled: http.tls } }
                  : { ...p, url: e.target.value },
              );
            }}
            placeholder={`host:${DEFAULT_PORT[p.protocol ?? 'grpc']}`}
            data-testid="profile-url"
          />
        </label>
        <ProtocolSelect value={p.protocol ?? 'grpc'} onChange={(protocol) => setP({ ...p, protocol })} />
        {!urlOk && (
          <Alert kind="warn">
            Expected host:port of Triton's {p.protocol === 'http' ? 'HTTP/REST' : 'gRPC'} endpoint, e.g. orin.local:
            {DEFAULT_PORT[p.protocol ?? 'grpc']}
          </Alert>
        )}
        <label className="field">
          Metrics URL
          <input
            type="text"
            value={p.metricsUrl ?? ''}
            onChange={(e) => setP({ ...p, metricsUrl: e.target.value })}
            placeholder={urlOk ? defaultMetricsUrl(p.url) : 'http://host:8002/metrics'}
            data-testid="profile-metrics-url"
          />
        </label>
        {!metricsOk && (
          <Alert kind="warn">
            Expected an http:// or https:// URL, e.g. http://orin.local:8002/metrics (empty = the default)
          </Alert>
        )}
        <label className="field">
          Deadline (ms)
          <input
            type="number"
            min={100}
            value={p.timeoutMs ?? ''}
            placeholder="default"
            onChange={(e) => setP({ ...p, timeoutMs: e.target.value ? Number(e.target.value) : undefined })}
          />
        </label>
        <div className="section-title" style={{ marginTop: 12 }}>
          TLS
        </div>
        <label className="check" style={{ marginBottom: 8 }}>
          <input type="checkbox" checked={tls.enabled} onChange={(e) => setTls({ enabled: e.target.checked })} /> Use
          TLS ({p.protocol === 'http' ? 'https' : 'grpcs'})
        </label>
        {tls.enabled && (
          <>
            <label className="field">
              CA certificate
              <input
                type="text"
                value={tls.caPath ?? ''}
                onChange={(e) => setTls({ caPath: e.target.value })}
                placeholder="/path/to/ca.pem (optional)"
              />
            </label>
            <label className="field">
              Client cert
              <input
                type="text"
                value={tls.certPath ?? ''}
                onChange={(e) => setTls({ certPath: e.target.value })}
                placeholder="/path/to/client.pem (mTLS)"
              />
            </label>
            <label className="field">
              Client key
              <input
                type="text"
                value={tls.keyPath ?? ''}
                onChange={(e) => setTls({ keyPath: e.target.value })}
                placeholder="/path/to/client.key (mTLS)"
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={!!tls.insecure}
                onChange={(e) => setTls({ insecure: e.target.checked })}
              />{' '}
              Skip certificate verification (self-signed test servers only)
            </label>
            <p className="muted small">
              Files are referenced by path on the machine running Tritonscope and read when connecting.
            </p>
          </>
        )}
        <div className="row" style={{ marginTop: 14 }}>
          <button
            className="btn primary"
            type="submit"
            disabled={saving || !urlOk || !metricsOk}
            data-testid="profile-save"
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button className="btn" type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </Panel>
  );
}
