/** Small presentational building blocks shared by the views. */
import type { ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary';

export function Panel(props: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  flush?: boolean;
  testId?: string;
  className?: string;
  busy?: boolean;
}) {
  return (
    <section className={`panel ${props.className ?? ''}`} data-testid={props.testId}>
      <header className="panel-head">
        <span>{props.title}</span>
        {props.busy && <span className="spinner" aria-label="working" />}
        <span className="spacer" />
        {props.actions && <span className="actions">{props.actions}</span>}
      </header>
      <div className={`panel-body ${props.flush ? 'flush' : ''}`}>
        <ErrorBoundary label={typeof props.title === 'string' ? props.title : 'Panel'}>{props.children}</ErrorBoundary>
      </div>
    </section>
  );
}

export function StateBadge({ state }: { state: string }) {
  const s = state.toUpperCase();
  const cls = s === 'READY' ? 'ok' : s === 'UNAVAILABLE' ? 'err' : s === 'LOADING' || s === 'UNLOADING' ? 'warn' : '';
  return (
    <span className={`badge ${cls}`} data-testid="model-state">
      {s || 'NOT LOADED'}
    </span>
  );
}

export function Alert(props: {
  kind: 'err' | 'warn' | 'ok' | 'info';
  title?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`alert ${props.kind}`} role={props.kind === 'err' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.title && <div className="alert-title">{props.title}</div>}
      {props.children}
    </div>
  );
}

export function Progress({ value }: { value?: number }) {
  if (value === undefined) {
    return (
      <div className="progress indeterminate">
        <div />
      </div>
    );
  }
  return (
    <div className="progress">
      <div style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <span className="kbd">{children}</span>;
}

export function fmtMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '-1' : String(d))).join(', ')}]`;
}

export function Icon({ name }: { name: 'servers' | 'models' | 'repo' | 'inspect' | 'metrics' | 'help' }) {
  const p = {
    servers: 'M3 4h14v5H3zM3 11h14v5H3zM6 6.5h.01M6 13.5h.01',
    models: 'M10 2l7 4v8l-7 4-7-4V6zM3 6l7 4 7-4M10 10v8',
    repo: 'M2 5h6l2 2h8v9H2zM2 5v11',
    inspect: 'M2 4h16v12H2zM2 13l5-4 4 3 3-2 4 3',
    metrics: 'M2 17h16M4 14l4-5 3 3 5-7',
    help: 'M10 18a8 8 0 100-16 8 8 0 000 16zM7.5 7.5a2.5 2.5 0 114 2c-.9.6-1.5 1-1.5 2.2M10 14.5h.01',
  }[name];
  return (
    <svg
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={p} />
    </svg>
  );
}
