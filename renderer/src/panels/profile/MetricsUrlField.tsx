/** The server's Prometheus metrics URL; empty means the default (the endpoint's host, port 8002). */
import { defaultMetricsUrl } from '../../../../shared/metrics/families';
import { Field } from './Field';

export function MetricsUrlField(props: {
  value: string;
  /** The profile's host:port when valid, for the default shown as the placeholder. */
  endpoint: string | null;
  error?: string;
  onChange(url: string): void;
}) {
  return (
    <Field label="Metrics URL" error={props.error} testId="profile-metrics-url" hint="Empty: the default shown.">
      {(id, describedBy) => (
        <input
          id={id}
          type="text"
          className="mono"
          value={props.value}
          placeholder={props.endpoint ? defaultMetricsUrl(props.endpoint) : 'http://host:8002/metrics'}
          spellCheck={false}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.target.value)}
          data-testid="profile-metrics-url"
        />
      )}
    </Field>
  );
}
