/** The inputs or outputs table: name, data type, dims (checked as the text is), effective shape. */
import { configText } from '../../lib/configText';
import { checkIntegerListField, fieldEditProblem } from '../../lib/formFields';
import type { FieldValue } from '../../lib/pbtxtEdit';
import { DATA_TYPES } from './choices';
import { TextField, type ReportValidity } from './fields';

type Json = Record<string, unknown>;

export function TensorSection(props: {
  kind: 'input' | 'output';
  list: Json[];
  maxBatch: number;
  text: string;
  edit(path: string, value: FieldValue): void;
  report: ReportValidity;
}) {
  const { kind, list, maxBatch, text, edit, report } = props;
  return (
    <div className="card">
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
            const path = `${kind}[${i}]`;
            return (
              <tr key={i}>
                <td>
                  <TextField
                    path={`${path}.name`}
                    value={configText(t.name, '')}
                    validate={(v) => fieldEditProblem(text, `${path}.name`, { string: v })}
                    report={report}
                    onCommit={(v) => edit(`${path}.name`, { string: v })}
                    testId={`form-${kind}-name-${i}`}
                  />
                </td>
                <td>
                  <select
                    value={configText(t.data_type, 'TYPE_INVALID')}
                    onChange={(e) => edit(`${path}.data_type`, { enum: e.target.value })}
                  >
                    {[...new Set([...DATA_TYPES, configText(t.data_type, 'TYPE_INVALID')])].map((d) => (
                      <option key={d}>{d}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <TextField
                    path={`${path}.dims`}
                    value={dims.join(', ')}
                    validate={(v) => {
                      const r = checkIntegerListField(text, `${path}.dims`, v);
                      return r.ok ? null : `dims: ${r.error}`;
                    }}
                    report={report}
                    onCommit={(v) => {
                      const r = checkIntegerListField(text, `${path}.dims`, v);
                      if (r.ok) edit(`${path}.dims`, { list: r.value });
                    }}
                    mono
                    testId={`form-${kind}-dims-${i}`}
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
}
