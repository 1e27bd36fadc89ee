/**
 * Form view of the common config.pbtxt fields. Every edit goes through the pbtxt edit helpers
 * (shared/pbtxt), so only that field's text changes: comments, order and formatting elsewhere are
 * kept, and the code view and diffs show exactly what the form did. Fields are checked as the text
 * is (lib/formFields); the number of fields holding an invalid value is reported to the editor,
 * whose status badge then does not say "valid".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { configText } from '../../lib/configText';
import { analyzeConfig } from '../../lib/pbtxt';
import { editConfigText, type FieldValue } from '../../lib/pbtxtEdit';
import { fieldEditProblem } from '../../lib/formFields';
import { errorText } from '../../lib/errors';
import { Alert } from '../ui';
import { BACKENDS, PLATFORMS } from './choices';
import { ChoiceField, NumberField, TextField } from './fields';
import { TensorSection } from './TensorSection';
import { DynamicBatching, InstanceGroups } from './BatchingSections';

type Json = Record<string, unknown>;

export function ConfigForm({
  text,
  onChange,
  onInvalidCount,
}: {
  text: string;
  onChange(text: string): void;
  /** How many fields hold a value that is not valid (not committed to the text). */
  onInvalidCount?(n: number): void;
}) {
  const analysis = analyzeConfig(text);
  const [error, setError] = useState<string | null>(null);
  const invalid = useRef(new Map<string, string>());
  const report = useCallback(
    (key: string, problem: string | null) => {
      const had = invalid.current.size;
      if (problem) invalid.current.set(key, problem);
      else invalid.current.delete(key);
      if (invalid.current.size !== had) onInvalidCount?.(invalid.current.size);
    },
    [onInvalidCount],
  );
  useEffect(() => () => onInvalidCount?.(0), [onInvalidCount]);
  const c = analysis.json;

  if (!c) {
    return (
      <Alert kind="err" title="The form needs a config without errors">
        Fix the {analysis.diagnostics.filter((d) => d.severity === 'error').length} error(s) listed below in the Code
        view first (click one to jump to it).
      </Alert>
    );
  }

  const edit = (path: string, value: FieldValue) => {
    try {
      const next = editConfigText(text, path, value);
      setError(null);
      if (next !== text) onChange(next);
    } catch (e) {
      setError(`${path}: ${errorText(e)}`);
    }
  };
  const maxBatch = Number(c.max_batch_size ?? 0);

  return (
    <div style={{ maxWidth: 760 }} data-testid="config-form">
      {error && <Alert kind="err">{error}</Alert>}
      <div className="card">
        <div className="section-title">Model</div>
        <label className="field">
          name
          <TextField
            path="name"
            value={configText(c.name, '')}
            validate={(v) => fieldEditProblem(text, 'name', { string: v })}
            report={report}
            onCommit={(v) => edit('name', { string: v })}
            testId="form-name"
          />
        </label>
        <ChoiceField
          label="platform"
          value={configText(c.platform, '')}
          choices={PLATFORMS}
          onChange={(v) => edit('platform', v ? { string: v } : null)}
        />
        <ChoiceField
          label="backend"
          value={configText(c.backend, '')}
          choices={BACKENDS}
          onChange={(v) => edit('backend', v ? { string: v } : null)}
        />
        <label className="field">
          max_batch_size
          <NumberField
            path="max_batch_size"
            value={maxBatch}
            min={0}
            validate={(v) => fieldEditProblem(text, 'max_batch_size', { number: v })}
            report={report}
            onCommit={(v) => edit('max_batch_size', { number: v })}
            testId="form-max-batch"
          />
        </label>
      </div>
      {(['input', 'output'] as const).map((kind) => (
        <TensorSection
          key={kind}
          kind={kind}
          list={(c[kind] as Json[] | undefined) ?? []}
          maxBatch={maxBatch}
          text={text}
          edit={edit}
          report={report}
        />
      ))}
      <InstanceGroups groups={(c.instance_group as Json[] | undefined) ?? []} text={text} edit={edit} report={report} />
      <DynamicBatching
        dyn={c.dynamic_batching as Json | undefined}
        maxBatch={maxBatch}
        text={text}
        edit={edit}
        report={report}
      />
    </div>
  );
}
