/**
 * Form view of the common config.pbtxt fields. Every edit goes through the pbtxt edit helpers
 * (shared/pbtxt), so only that field's text changes: comments, order and formatting elsewhere are
 * kept, and the code view and diffs show exactly what the form did.
 */
import { configText } from '../lib/configText';
import { useEffect, useState } from 'react';
import { analyzeConfig } from '../lib/pbtxt';
import { editConfigText, type FieldValue } from '../lib/pbtxtEdit';
import { Alert } from './ui';
import { errorText } from '../lib/errors';

const DATA_TYPES = [
  'TYPE_BOOL',
  'TYPE_UINT8',
  'TYPE_UINT16',
  'TYPE_UINT32',
  'TYPE_UINT64',
  'TYPE_INT8',
  'TYPE_INT16',
  'TYPE_INT32',
  'TYPE_INT64',
  'TYPE_FP16',
  'TYPE_FP32',
  'TYPE_FP64',
  'TYPE_STRING',
  'TYPE_BF16',
];
const KINDS = ['KIND_AUTO', 'KIND_GPU', 'KIND_CPU', 'KIND_MODEL'];
const PLATFORMS = [
  '',
  'onnxruntime_onnx',
  'tensorrt_plan',
  'pytorch_libtorch',
  'tensorflow_savedmodel',
  'tensorflow_graphdef',
  'ensemble',
];
const BACKENDS = ['', 'onnxruntime', 'tensorrt', 'pytorch', 'tensorflow', 'python', 'openvino', 'dali', 'fil'];

type Json = Record<string, unknown>;

export function ConfigForm({ text, onChange }: { text: string; onChange(text: string): void }) {
  const analysis = analyzeConfig(text);
  const [error, setError] = useState<string | null>(null);
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

  const inputs = (c.input as Json[] | undefined) ?? [];
  const outputs = (c.output as Json[] | undefined) ?? [];
  const groups = (c.instance_group as Json[] | undefined) ?? [];
  const dyn = c.dynamic_batching as Json | undefined;
  const maxBatch = Number(c.max_batch_size ?? 0);

  return (
    <div style={{ maxWidth: 760 }} data-testid="config-form">
      {error && <Alert kind="err">{error}</Alert>}
      <div className="card">
        <div className="section-title">Model</div>
        <label className="field">
          name
          <TextField value={configText(c.name, '')} onCommit={(v) => edit('name', { string: v })} testId="form-name" />
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
            value={maxBatch}
            min={0}
            onCommit={(v) => edit('max_batch_size', { number: v })}
            testId="form-max-batch"
          />
        </label>
      </div>

      {(['input', 'output'] as const).map((kind) => {
        const list = kind === 'input' ? inputs : outputs;
        return (
          <div className="card" key={kind}>
            <div className="section-title">{kind}s</div>
            {!list.length && <div className="muted small">none</div>}
            <table className="grid">
              <thead>
                <tr>
                  <th>name</th>
                  <th>data_type</th>
                  <th>dims</th>
                  <th>effective shape</th>
                </tr>
              </thead>
              <tbody>
                {list.map((t, i) => {
                  const dims = ((t.dims as number[] | undefined) ?? []).map(Number);
                  return (
                    <tr key={i}>
                      <td>
                        <TextField
                          value={configText(t.name, '')}
                          onCommit={(v) => edit(`${kind}[${i}].name`, { string: v })}
                        />
                      </td>
                      <td>
                        <select
                          value={configText(t.data_type, 'TYPE_INVALID')}
                          onChange={(e) => edit(`${kind}[${i}].data_type`, { enum: e.target.value })}
                        >
                          {[...new Set([...DATA_TYPES, configText(t.data_type, 'TYPE_INVALID')])].map((d) => (
                            <option key={d}>{d}</option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <TextField
                          value={dims.join(', ')}
                          onCommit={(v) => {
                            const parts = v
                              .split(/[\s,]+/)
                              .filter(Boolean)
                              .map(Number);
                            if (parts.some((p) => !Number.isInteger(p))) {
                              setError(`${kind}[${i}].dims: expected integers separated by commas, got "${v}"`);
                              return;
                            }
                            edit(`${kind}[${i}].dims`, { list: parts });
                          }}
                          mono
                        />
                      </td>
                      <td className="mono small muted">
                        [{[...(maxBatch > 0 ? ['-1'] : []), ...dims.map(String)].join(', ')}]
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}

      <div className="card">
        <div className="section-title">instance_group</div>
        {!groups.length && (
          <div className="muted small">Not set: Triton's default (one instance per GPU, or one on CPU).</div>
        )}
        {groups.map((g, i) => (
          <div className="row" key={i} style={{ marginBottom: 6 }}>
            <span className="muted small">[{i}]</span>
            count
            <NumberField
              value={Number(g.count ?? 1)}
              min={1}
              onCommit={(v) => edit(`instance_group[${i}].count`, { number: v })}
              testId={`form-instance-count-${i}`}
            />
            kind
            <select
              value={configText(g.kind, 'KIND_AUTO')}
              onChange={(e) => edit(`instance_group[${i}].kind`, { enum: e.target.value })}
            >
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </div>
        ))}
      </div>

      <div className="card">
        <div className="section-title">dynamic_batching</div>
        <label className="check" style={{ marginBottom: 8 }}>
          <input
            type="checkbox"
            checked={!!dyn}
            onChange={(e) => edit('dynamic_batching', e.target.checked ? { message: true } : null)}
            data-testid="form-dynamic"
          />{' '}
          Enabled
        </label>
        {dyn && (
          <>
            <label className="field">
              max_queue_delay_microseconds
              <NumberField
                value={Number(dyn.max_queue_delay_microseconds ?? 0)}
                min={0}
                onCommit={(v) => edit('dynamic_batching.max_queue_delay_microseconds', { number: v })}
              />
            </label>
            <label className="field">
              preferred_batch_size
              <TextField
                value={((dyn.preferred_batch_size as number[] | undefined) ?? []).join(', ')}
                onCommit={(v) => {
                  const parts = v
                    .split(/[\s,]+/)
                    .filter(Boolean)
                    .map(Number);
                  if (parts.some((p) => !Number.isInteger(p) || p <= 0)) {
                    setError(`preferred_batch_size: expected positive integers, got "${v}"`);
                    return;
                  }
                  edit('dynamic_batching.preferred_batch_size', { list: parts });
                }}
                mono
              />
            </label>
            {maxBatch === 0 && <Alert kind="warn">dynamic_batching needs max_batch_size &gt; 0.</Alert>}
          </>
        )}
      </div>
    </div>
  );
}

/** A string field picked from well-known values; a value outside the list is kept as an option. */
function ChoiceField({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: string;
  choices: string[];
  onChange(v: string): void;
}) {
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {[...new Set([...choices, value])].map((p) => (
          <option key={p} value={p}>
            {p || '(none)'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Text input that commits on Enter or blur (not per keystroke), so each commit is one clean edit. */
function TextField({
  value,
  onCommit,
  mono,
  testId,
}: {
  value: string;
  onCommit(v: string): void;
  mono?: boolean;
  testId?: string;
}) {
  const [v, setV] = useState(value);
  useEffect(() => setV(value), [value]);
  const commit = () => {
    if (v !== value) onCommit(v);
  };
  return (
    <input
      type="text"
      value={v}
      className={mono ? 'mono' : undefined}
      style={{ width: '100%' }}
      onChange={(e) => setV(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setV(value);
      }}
      data-testid={testId}
    />
  );
}

function NumberField({
  value,
  min,
  onCommit,
  testId,
}: {
  value: number;
  min?: number;
  onCommit(v: number): void;
  testId?: string;
}) {
  const [v, setV] = useState(String(value));
  useEffect(() => setV(String(value)), [value]);
  const commit = () => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || (min !== undefined && n < min)) {
      setV(String(value));
      return;
    }
    if (n !== value) onCommit(n);
  };
  return (
    <input
      type="number"
      value={v}
      min={min}
      style={{ width: 110 }}
      onChange={(e) => setV(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
      data-testid={testId}
    />
  );
}
