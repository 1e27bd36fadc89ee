/** instance_group and dynamic_batching: counts, kinds, queue delay, preferred batch sizes. */
import { configText } from '../../lib/configText';
import { checkIntegerListField, fieldEditProblem } from '../../lib/formFields';
import type { FieldValue } from '../../lib/pbtxtEdit';
import { Alert } from '../ui';
import { KINDS } from './choices';
import { NumberField, TextField, type ReportValidity } from './fields';

type Json = Record<string, unknown>;

export function InstanceGroups(props: {
  groups: Json[];
  text: string;
  edit(path: string, value: FieldValue): void;
  report: ReportValidity;
}) {
  const { groups, text, edit, report } = props;
  return (
    <div className="card">
      <div className="section-title">instance_group</div>
      {!groups.length && (
        <div className="muted small">Not set: Triton's default (one instance per GPU, or one on CPU).</div>
      )}
      {groups.map((g, i) => (
        <div className="row" key={i} style={{ marginBottom: 6, alignItems: 'flex-start' }}>
          <span className="muted small">[{i}]</span>
          count
          <NumberField
            path={`instance_group[${i}].count`}
            value={Number(g.count ?? 1)}
            min={1}
            validate={(v) => fieldEditProblem(text, `instance_group[${i}].count`, { number: v })}
            report={report}
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
  );
}

export function DynamicBatching(props: {
  dyn: Json | undefined;
  maxBatch: number;
  text: string;
  edit(path: string, value: FieldValue): void;
  report: ReportValidity;
}) {
  const { dyn, maxBatch, text, edit, report } = props;
  const sizesPath = 'dynamic_batching.preferred_batch_size';
  return (
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
              path="dynamic_batching.max_queue_delay_microseconds"
              value={Number(dyn.max_queue_delay_microseconds ?? 0)}
              min={0}
              report={report}
              onCommit={(v) => edit('dynamic_batching.max_queue_delay_microseconds', { number: v })}
            />
          </label>
          <label className="field">
            preferred_batch_size
            <TextField
              path={sizesPath}
              value={((dyn.preferred_batch_size as number[] | undefined) ?? []).join(', ')}
              validate={(v) => {
                const r = checkIntegerListField(text, sizesPath, v);
                if (!r.ok) return r.error;
                return r.value.some((n) => n <= 0) ? 'batch sizes must be positive' : null;
              }}
              report={report}
              onCommit={(v) => {
                const r = checkIntegerListField(text, sizesPath, v);
                if (r.ok) edit(sizesPath, { list: r.value });
              }}
              mono
            />
          </label>
          {maxBatch === 0 && <Alert kind="warn">dynamic_batching needs max_batch_size &gt; 0.</Alert>}
        </>
      )}
    </div>
  );
}
