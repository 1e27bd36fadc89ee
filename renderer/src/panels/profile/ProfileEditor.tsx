/**
 * Editing a connection profile: name, endpoint, deadline, TLS. The form checks as you type with
 * the same code the services run before saving; a save the services refuse (e.g. a CA file that
 * does not exist) is not saved, and the form says which field and why.
 */
import { useEffect, useState } from 'react';
import { useApp } from '../../state/store';
import { getApi } from '../../../api';
import { Alert, Panel } from '../../components/ui';
import type { ConnectionProfileInput, TlsSettings } from '../../../../shared/contract';
import { formProblems, type FieldErrors } from '../../lib/profileForm';
import type { ProfileField } from '../../../../shared/connection';
import { EndpointField, type SchemeChoice } from './EndpointField';
import { ProtocolSelect } from '../ProtocolSelect';
import { Field } from './Field';
import { TlsSection } from './TlsSection';
import { MetricsUrlField } from './MetricsUrlField';

export function ProfileEditor({ initial, onDone }: { initial: ConnectionProfileInput; onDone: () => void }) {
  const saveProfile = useApp((s) => s.saveProfile);
  const [p, setP] = useState<ConnectionProfileInput>(initial);
  const [saving, setSaving] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<ProfileField, true>>>({});
  const [refused, setRefused] = useState<{ message: string; fields: FieldErrors } | null>(null);
  const nativeDialogs = useNativeDialogs();
  const tls: TlsSettings = p.tls ?? { enabled: false };
  const local = formProblems(p);

  // A field's own problem shows once it was edited (or on submit); the services' verdict on a field
  // shows until that field changes.
  const errors: FieldErrors = {};
  for (const [f, msg] of Object.entries(local.errors) as [ProfileField, string][])
    if (submitted || touched[f]) errors[f] = msg;
  for (const [f, msg] of Object.entries(refused?.fields ?? {}) as [ProfileField, string][]) errors[f] ??= msg;

  const change = (patch: Partial<ConnectionProfileInput>, fields: ProfileField[]) => {
    setP({ ...p, ...patch });
    setTouched({ ...touched, ...Object.fromEntries(fields.map((f) => [f, true])) });
    if (refused && fields.some((f) => refused.fields[f])) {
      const rest = { ...refused.fields };
      for (const f of fields) delete rest[f];
      setRefused(Object.keys(rest).length ? { ...refused, fields: rest } : null);
    }
  };
  const setTls = (patch: Partial<TlsSettings>) => {
    const fields = Object.keys(patch).map((k) => `tls.${k}` as ProfileField);
    change({ tls: { ...tls, ...patch } }, fields);
  };

  return (
    <Panel title={initial.id ? `Edit ${initial.name}` : 'New server'} testId="profile-editor">
      <form
        className="profile-form"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(local.errors).length) return;
          setSaving(true);
          const r = await saveProfile(local.profile);
          setSaving(false);
          if (r.ok) {
            useApp.getState().setActive(r.profile.id);
            onDone();
          } else setRefused({ message: r.message, fields: r.fields });
        }}
      >
        <Field label="Name" error={errors.name} testId="profile-name">
          {(id, describedBy) => (
            <input
              id={id}
              type="text"
              value={p.name}
              placeholder="e.g. Jetson Orin (lab)"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy}
              onChange={(e) => change({ name: e.target.value }, ['name'])}
              data-testid="profile-name"
            />
          )}
        </Field>
        <EndpointField
          value={p.url}
          protocol={p.protocol ?? 'grpc'}
          error={errors.url}
          onChange={(url, scheme) => change({ url, ...schemePatch(p, scheme) }, ['url'])}
        />
        <ProtocolSelect value={p.protocol ?? 'grpc'} onChange={(protocol) => change({ protocol }, ['url'])} />
        <MetricsUrlField
          value={p.metricsUrl ?? ''}
          endpoint={local.errors.url ? null : local.profile.url}
          error={errors.metricsUrl}
          onChange={(metricsUrl) => change({ metricsUrl }, ['metricsUrl'])}
        />
        <Field label="Deadline (ms)" hint="Per call; 10 s when empty.">
          {(id, describedBy) => (
            <input
              id={id}
              type="number"
              min={100}
              value={p.timeoutMs ?? ''}
              placeholder="10000"
              aria-describedby={describedBy}
              onChange={(e) =>
                change({ timeoutMs: e.target.value ? Number(e.target.value) : undefined }, ['timeoutMs'])
              }
            />
          )}
        </Field>
        <TlsSection
          tls={tls}
          protocol={p.protocol ?? 'grpc'}
          errors={errors}
          nativeDialogs={nativeDialogs}
          onChange={setTls}
        />
        {refused && (
          <Alert kind="err" title="Not saved" testId="profile-error">
            {refused.message}
          </Alert>
        )}
        <div className="row" style={{ marginTop: 14 }}>
          <button className="btn primary" type="submit" disabled={saving} data-testid="profile-save">
            {saving ? 'Checking…' : 'Save'}
          </button>
          <button className="btn" type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </Panel>
  );
}

/** A typed or pasted scheme picks the protocol, and grpcs:// / https:// turn TLS on (as the services do). */
function schemePatch(p: ConnectionProfileInput, scheme: SchemeChoice | null): Partial<ConnectionProfileInput> {
  const patch: Partial<ConnectionProfileInput> = {};
  if (scheme?.protocol && scheme.protocol !== (p.protocol ?? 'grpc')) patch.protocol = scheme.protocol;
  if (scheme?.tls && !p.tls?.enabled) patch.tls = { ...(p.tls ?? { enabled: false }), enabled: true };
  return patch;
}

/** Electron has native file dialogs; browser mode lists folders through the services instead. */
function useNativeDialogs(): boolean {
  const [native, setNative] = useState(false);
  useEffect(() => {
    let live = true;
    getApi()
      .appInfo()
      .then(
        (i) => live && setNative(i.hasNativeDialogs),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, []);
  return native;
}
