/**
 * The form's inputs. Text and number fields commit on Enter or blur (not per keystroke), so each
 * commit is one clean text edit; they are checked on every keystroke, though, and an invalid value
 * is marked and explained at once and never committed.
 */
import { useEffect, useState } from 'react';

/** Reports a field's current problem (null = fine) to the form, keyed by the field's path. */
export type ReportValidity = (key: string, error: string | null) => void;

export function TextField(props: {
  /** The field's path in the config (e.g. `input[0].dims`): its key for validity reports. */
  path: string;
  value: string;
  onCommit(v: string): void;
  /** The problem with a value, or null. */
  validate?: (v: string) => string | null;
  report?: ReportValidity;
  mono?: boolean;
  testId?: string;
}) {
  const { path, value, validate, report } = props;
  const [v, setV] = useState(value);
  useEffect(() => setV(value), [value]);
  const error = v !== value && validate ? validate(v) : null;
  useEffect(() => report?.(path, error), [report, path, error]);
  useEffect(() => () => report?.(path, null), [report, path]);
  const commit = () => {
    if (v !== value && !error) props.onCommit(v);
  };
  return (
    <div className="form-control">
      <input
        type="text"
        value={v}
        className={props.mono ? 'mono' : undefined}
        style={{ width: '100%' }}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setV(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setV(value);
        }}
        data-testid={props.testId}
      />
      {error && (
        <div className="field-error" data-testid={props.testId ? `${props.testId}-error` : undefined}>
          {error}
        </div>
      )}
    </div>
  );
}

export function NumberField(props: {
  path: string;
  value: number;
  min?: number;
  onCommit(v: number): void;
  validate?: (v: number) => string | null;
  report?: ReportValidity;
  testId?: string;
}) {
  const { path, value, min, validate, report } = props;
  const [v, setV] = useState(String(value));
  useEffect(() => setV(String(value)), [value]);
  const n = Number(v);
  const error =
    v === String(value)
      ? null
      : v.trim() === '' || !Number.isInteger(n)
        ? `'${v}' is not a whole number`
        : min !== undefined && n < min
          ? `must be at least ${min}`
          : (validate?.(n) ?? null);
  useEffect(() => report?.(path, error), [report, path, error]);
  useEffect(() => () => report?.(path, null), [report, path]);
  const commit = () => {
    if (!error && n !== value) props.onCommit(n);
  };
  return (
    <span className="form-control inline">
      <input
        type="text"
        inputMode="numeric"
        value={v}
        style={{ width: 110 }}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setV(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setV(String(value));
        }}
        data-testid={props.testId}
      />
      {error && (
        <span className="field-error" data-testid={props.testId ? `${props.testId}-error` : undefined}>
          {error}
        </span>
      )}
    </span>
  );
}

/** A string field picked from well-known values; a value outside the list is kept as an option. */
export function ChoiceField(props: { label: string; value: string; choices: string[]; onChange(v: string): void }) {
  return (
    <label className="field">
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {[...new Set([...props.choices, props.value])].map((p) => (
          <option key={p} value={p}>
            {p || '(none)'}
          </option>
        ))}
      </select>
    </label>
  );
}
