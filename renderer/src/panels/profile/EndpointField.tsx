/**
 * The endpoint input: takes `host:port`, `grpc://…`, `grpcs://…` (which turns TLS on) and stray
 * spaces, shows what will be stored, and tidies the text to that when the field is left.
 */
import { normalizeEndpoint } from '../../../../shared/connection';
import { Field } from './Field';

export function EndpointField(props: {
  value: string;
  error?: string;
  onChange(url: string, tlsFromScheme: boolean): void;
}) {
  const r = normalizeEndpoint(props.value);
  const shownAs = r.ok && r.address !== props.value.trim() ? r.address : null;
  return (
    <Field
      label="Endpoint"
      error={props.error}
      testId="profile-url"
      hint={
        shownAs ? (
          <>
            Saved as <span className="mono">{shownAs}</span>
            {r.ok && r.scheme === 'grpcs' && ' with TLS'}
          </>
        ) : (
          "Triton's gRPC endpoint: host:port (default port 8001), grpc:// or grpcs://"
        )
      }
    >
      {(id, describedBy) => (
        <input
          id={id}
          type="text"
          value={props.value}
          placeholder="orin.local:8001"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            const next = normalizeEndpoint(e.target.value);
            props.onChange(e.target.value, next.ok && next.scheme === 'grpcs');
          }}
          onBlur={() => {
            if (r.ok && r.scheme !== 'http' && r.scheme !== 'https' && r.address !== props.value)
              props.onChange(r.address, r.scheme === 'grpcs');
          }}
          data-testid="profile-url"
        />
      )}
    </Field>
  );
}
