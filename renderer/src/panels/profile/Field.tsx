/** One labelled form row with its error (and an optional hint) under the input. */
import { useId, type ReactNode } from 'react';

export function Field(props: {
  label: string;
  error?: string;
  hint?: ReactNode;
  testId?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const msgId = `${id}-msg`;
  return (
    <div className="field form-row">
      <label htmlFor={id}>{props.label}</label>
      <div className="form-control">
        {props.children(id, props.error || props.hint ? msgId : undefined)}
        {props.error ? (
          <div className="field-error" id={msgId} data-testid={props.testId ? `${props.testId}-error` : undefined}>
            {props.error}
          </div>
        ) : (
          props.hint && (
            <div className="field-hint muted small" id={msgId}>
              {props.hint}
            </div>
          )
        )}
      </div>
    </div>
  );
}
