/** TLS and mutual TLS: CA, client certificate and key (paths, with file choosers), server name, skip-verify. */
import type { TlsSettings } from '../../../../shared/contract';
import type { FieldErrors } from '../../lib/profileForm';
import { Field } from './Field';
import { FileField } from './FileField';

export function TlsSection(props: {
  tls: TlsSettings;
  protocol: 'grpc' | 'http';
  errors: FieldErrors;
  nativeDialogs: boolean;
  onChange(patch: Partial<TlsSettings>): void;
}) {
  const { tls, errors, onChange } = props;
  return (
    <fieldset className="form-section">
      <legend>TLS</legend>
      <label className="check" style={{ marginBottom: 8 }}>
        <input
          type="checkbox"
          checked={tls.enabled}
          onChange={(e) => onChange({ enabled: e.target.checked })}
          data-testid="profile-tls"
        />{' '}
        Use TLS ({props.protocol === 'http' ? 'https' : 'grpcs'})
      </label>
      {tls.enabled && (
        <>
          <FileField
            label="CA certificate"
            purpose="tls-ca"
            value={tls.caPath ?? ''}
            placeholder="system CAs when empty"
            error={errors['tls.caPath']}
            nativeDialogs={props.nativeDialogs}
            testId="profile-ca"
            onChange={(caPath) => onChange({ caPath })}
          />
          <FileField
            label="Client certificate"
            purpose="tls-cert"
            value={tls.certPath ?? ''}
            placeholder="for mutual TLS only"
            error={errors['tls.certPath']}
            nativeDialogs={props.nativeDialogs}
            testId="profile-cert"
            onChange={(certPath) => onChange({ certPath })}
          />
          <FileField
            label="Client key"
            purpose="tls-key"
            value={tls.keyPath ?? ''}
            placeholder="for mutual TLS only"
            error={errors['tls.keyPath']}
            nativeDialogs={props.nativeDialogs}
            testId="profile-key"
            onChange={(keyPath) => onChange({ keyPath })}
          />
          <Field
            label="Server name (SNI)"
            error={errors['tls.serverName']}
            testId="profile-server-name"
            hint="The name in the server's certificate, when it differs from the endpoint's host (e.g. connecting by IP)."
          >
            {(id, describedBy) => (
              <input
                id={id}
                type="text"
                className="mono"
                value={tls.serverName ?? ''}
                placeholder="the endpoint's host"
                spellCheck={false}
                aria-invalid={errors['tls.serverName'] ? true : undefined}
                aria-describedby={describedBy}
                onChange={(e) => onChange({ serverName: e.target.value })}
                data-testid="profile-server-name"
              />
            )}
          </Field>
          <label className="check">
            <input
              type="checkbox"
              checked={!!tls.insecure}
              onChange={(e) => onChange({ insecure: e.target.checked })}
            />{' '}
            Skip certificate verification (self-signed test servers only)
          </label>
          <p className="muted small">
            Files are referenced by path on the machine running Tritonscope, checked when you save and read when
            connecting.
          </p>
        </>
      )}
    </fieldset>
  );
}
