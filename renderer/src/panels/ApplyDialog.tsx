/** The editor's diagnostics list, and the "Apply to server" dialog (config override or repository file). */
import { useState } from 'react';
import { useApp } from '../state/store';
import { unloadKey } from '../state/models';
import { servingConnection } from '../lib/repoStatus';
import { Alert, Progress } from '../components/ui';
import type { analyzeConfig } from '../lib/pbtxt';

export function Diagnostics({
  diagnostics,
  onJump,
}: {
  diagnostics: ReturnType<typeof analyzeConfig>['diagnostics'];
  onJump(line: number, col: number): void;
}) {
  if (!diagnostics.length) return null;
  return (
    <ul className="list diag-list" data-testid="diagnostics">
      {diagnostics.map((d, i) => (
        <li
          key={i}
          className={d.severity}
          onClick={() => onJump(d.line, d.column)}
          data-testid="diagnostic"
          data-line={d.line}
          data-column={d.column}
        >
          <span className="loc">
            {d.line}:{d.column}
          </span>
          <span className="sev">{d.severity}</span>
          <span className="grow">{d.message}</span>
          <span className="muted">{d.code}</span>
        </li>
      ))}
    </ul>
  );
}

export function ApplyDialog({ dirty, hasErrors, onClose }: { dirty: boolean; hasErrors: boolean; onClose(): void }) {
  const file = useApp((s) => s.file)!;
  const buffer = useApp((s) => s.buffer);
  const loadModel = useApp((s) => s.loadModel);
  const save = useApp((s) => s.save);
  // The server this dialog names is fixed when it opens: the load goes there and nowhere else,
  // whatever the top bar's active server is by the time Load is pressed.
  const [target] = useState(() => useApp.getState().activeId);
  const serverLabel = useApp((s) => (target ? s.serverLabel(target) : 'no server'));
  const blocked = useApp((s) => s.writeBlock(target));
  const overridden = useApp((s) => !!target && !!s.overriddenByUser[unloadKey(target, file.model)]);
  const root = useApp((s) => s.roots.find((r) => r.rootId === file.rootId));
  // The server known to serve this folder (the demo's, or "Served by"): another has its own disk.
  const servingId = useApp((s) => servingConnection(root, s.demo, s.servedBy));
  const otherRepository = !!servingId && servingId !== target;
  const [choice, setChoice] = useState<'override' | 'file'>(dirty ? 'override' : 'file');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!target || blocked) return;
    setBusy(true);
    setError(null);
    if (choice === 'file' && dirty) {
      const r = await save();
      if (r?.kind !== 'saved') {
        setBusy(false);
        setError(r?.message ?? 'Save failed');
        return;
      }
    }
    const ok = await loadModel(file.model, {
      connectionId: target,
      ...(choice === 'override' ? { override: { pbtxt: buffer } } : {}),
    });
    setBusy(false);
    // The server's loaded config just changed (or failed to): the "Diff vs server" must not keep
    // showing the config from before the load.
    void useApp.getState().fetchServerConfig();
    if (ok) onClose();
    else setError(useApp.getState().modelErrors[file.model] ?? 'Load failed');
  };
  return (
    <div className="modal-back" onClick={onClose}>
      <div
        className="modal"
        onClick={(e) => e.stopPropagation()}
        role="dialog"
        aria-label="Apply to server"
        data-testid="apply-dialog"
      >
        <h3 data-testid="apply-title">
          Load “{file.model}” on {serverLabel}
        </h3>
        <div className="choice">
          <label className={choice === 'override' ? 'on' : ''}>
            <input type="radio" checked={choice === 'override'} onChange={() => setChoice('override')} />
            <span>
              <b>Config override</b>
              Send the editor's text with the load request. The server uses it instead of its config.pbtxt; the file on
              disk is not changed, and the override is lost when the server restarts.
            </span>
          </label>
          <label className={choice === 'file' ? 'on' : ''}>
            <input type="radio" checked={choice === 'file'} onChange={() => setChoice('file')} />
            <span>
              <b>Repository file</b>
              {dirty ? 'Save the editor to config.pbtxt (with a backup), then load' : 'Load'} from the server's
              repository, exactly as it is on disk.
              {overridden && (
                <span data-testid="apply-unload-first">
                  {' '}
                  The server runs your earlier override, which Triton keeps while the model's files are unchanged, so
                  the model is unloaded first and is unavailable for a moment.
                </span>
              )}
            </span>
          </label>
        </div>
        {hasErrors && <Alert kind="warn">The config has errors; the server will most likely reject it.</Alert>}
        {otherRepository ? (
          <Alert kind="warn" testId="apply-other-repository">
            {serverLabel} does not serve this folder ({root?.name}): “Repository file” loads the {file.model} that{' '}
            {serverLabel} has on its own disk, and “Config override” sends this text to it.
          </Alert>
        ) : (
          <p className="muted small">
            The server must see the same repository folder for the file choice to apply your edits (true for the
            embedded demo server).
          </p>
        )}
        {blocked && <Alert kind="err">{blocked}</Alert>}
        {error && <Alert kind="err">{error}</Alert>}
        {busy && <Progress />}
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 10 }}>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn primary"
            disabled={busy || !!blocked}
            onClick={() => void run()}
            data-testid="apply-confirm"
            title={blocked ?? `Load ${file.model} on ${serverLabel}`}
          >
            {choice === 'override' ? 'Load with override' : dirty ? 'Save and load' : 'Load from file'}
          </button>
        </div>
      </div>
    </div>
  );
}
