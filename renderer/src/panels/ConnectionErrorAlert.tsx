/**
 * A connection failure as a user can act on it: what is probably wrong and what to change (when
 * the services recognised it), with gRPC's and OpenSSL's own text one click away.
 */
import { useState } from 'react';
import type { ConnectionStatus } from '../../../shared/contract';
import { Alert } from '../components/ui';

type ErrorInfo = NonNullable<ConnectionStatus['error']>;

/** "UNAVAILABLE: cannot connect…" under a title that already names UNAVAILABLE reads twice. */
export function withoutCode(message: string, code: string): string {
  return message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
}

export function ConnectionErrorAlert({ error, title, testId }: { error: ErrorInfo; title: string; testId?: string }) {
  const [open, setOpen] = useState(false);
  const ex = error.explanation;
  return (
    <Alert kind="err" title={ex ? ex.summary : title} testId={testId}>
      <div data-testid="error-explanation" data-kind={ex?.kind ?? ''}>
        {ex ? ex.advice : withoutCode(error.message, error.code)}
        {ex && <span className="muted mono small"> ({error.code})</span>}
      </div>
      <button
        type="button"
        className="btn small link"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="error-details-toggle"
      >
        {open ? 'Hide details' : 'Show details'}
      </button>
      {open && (
        <pre className="error-details mono small" data-testid="error-details">
          {error.detail ? `${error.code}: ${error.detail.trim()}` : error.message}
        </pre>
      )}
    </Alert>
  );
}
