/**
 * The endpoint input: takes `host:port` or a scheme (`grpc://`, `grpcs://`, `http://`, `https://`,
 * which also pick the protocol, and turn TLS on for grpcs/https) and stray spaces. A pasted address
 * becomes `host:port` at once; typed text is tidied when the field is left, and until then the
 * hint shows what will be stored.
 */
import { normalizeEndpoint } from '../../../../shared/connection';
import { DEFAULT_PORT, protocolLabel } from '../../../../shared/contract/endpoint';
import { Field } from './Field';

export interface SchemeChoice {
  protocol: 'grpc' | 'http' | null;
  tls: boolean | null;
}

export function EndpointField(props: {
  value: string;
  protocol: 'grpc' | 'http';
  error?: string;
  onChange(url: string, scheme: SchemeChoice | null): void;
}) {
  const r = normalizeEndpoint(props.value, props.protocol);
  const shownAs = r.ok && r.address !== props.value.trim() ? r.address : null;
  const port = DEFAULT_PORT[props.protocol];
  return (
    <Field
      label="Endpoint"
      error={props.error}
      testId="profile-url"
      hint={
        shownAs ? (
          <>
            Saved as <span className="mono">{shownAs}</span>
            {r.ok && r.protocol && ` over ${protocolLabel(r.protocol)}`}
            {r.ok && r.tls && ' with TLS'}
          </>
        ) : (
          `Triton's ${protocolLabel(props.protocol)} endpoint: host:port (default port ${port}), or paste a grpc(s):// or http(s):// address`
        )
      }
    >
      {(id, describedBy) => (
        <input
          id={id}
          type="text"
          value={props.value}
          placeholder={`orin.local:${port}`}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            const raw = e.target.value;
            const next = normalizeEndpoint(raw, props.protocol);
            // More than one character at once is a paste (or an autofill): tidy it right away.
            const pasted = raw.length - props.value.length > 1;
            props.onChange(
              pasted && next.ok ? next.address : raw,
              next.ok ? { protocol: next.protocol, tls: next.tls } : null,
            );
          }}
          onBlur={() => {
            if (r.ok && r.address !== props.value) props.onChange(r.address, { protocol: r.protocol, tls: r.tls });
          }}
          data-testid="profile-url"
        />
      )}
    </Field>
  );
}
