/**
 * What the last save said, while it is still true (lib/saveBanner): saved, refused for errors
 * (with "Save anyway"), a conflict with the file on disk (compare, reload, overwrite), or a failure.
 */
import { useApp } from '../../state/store';
import { Alert } from '../../components/ui';
import { visibleSaveOutcome } from '../../lib/saveBanner';

export function SaveBanner(props: { dirty: boolean; errorCount: number; onCompareWithDisk(): void }) {
  const lastSave = useApp((s) => s.lastSave);
  const file = useApp((s) => s.file);
  const save = useApp((s) => s.save);
  const saving = useApp((s) => s.saving);
  const shown = visibleSaveOutcome(lastSave, { dirty: props.dirty, errorCount: props.errorCount });
  if (!shown || !file) return null;
  const kind = shown.kind === 'saved' ? 'ok' : shown.kind === 'error' ? 'err' : 'warn';
  return (
    <div style={{ padding: '8px 10px 0' }}>
      <Alert kind={kind} testId="save-result">
        <span data-testid="save-result-kind" data-kind={shown.kind}>
          {shown.message}
        </span>
        {shown.kind === 'invalid' && (
          <div className="row" style={{ marginTop: 6 }}>
            <button
              className="btn small danger"
              disabled={saving}
              onClick={() => void save(true)}
              data-testid="save-force"
            >
              Save anyway (force)
            </button>
          </div>
        )}
        {shown.kind === 'conflict' && (
          <div className="row" style={{ marginTop: 6 }}>
            <button className="btn small" onClick={props.onCompareWithDisk}>
              Compare with disk
            </button>
            <button
              className="btn small"
              onClick={() => void useApp.getState().openFile(file.path, true)}
              data-testid="reload-from-disk"
            >
              Reload from disk (drop my edits)
            </button>
            <button
              className="btn small danger"
              disabled={saving}
              onClick={() => void save(true)}
              data-testid="save-overwrite"
            >
              Overwrite (keep backup)
            </button>
          </div>
        )}
      </Alert>
    </div>
  );
}
