/**
 * The config.pbtxt editor: code view with live diagnostics and schema completion, form view,
 * diffs vs disk and vs the server's loaded config, the ensemble pipeline, safe save, "apply to server".
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EditorView } from '@codemirror/view';
import { useApp } from '../../state/store';
import { Alert, Kbd, Panel, Progress } from '../../components/ui';
import { CodeEditor, offsetOf } from '../../components/CodeEditor';
import { DiffView } from '../../components/DiffView';
import { ConfigForm } from '../../components/configForm/ConfigForm';
import { EnsembleGraph } from '../../components/ensemble/EnsembleGraph';
import { analyzeConfig } from '../../lib/pbtxt';
import { ApplyDialog, Diagnostics } from '../ApplyDialog';
import { SaveBanner } from './SaveBanner';
import { ServerDiff } from './ServerDiff';

type Mode = 'code' | 'form' | 'diff-disk' | 'diff-server' | 'graph';

export function EditorPanel() {
  const file = useApp((s) => s.file);
  const fileError = useApp((s) => s.fileError);
  const buffer = useApp((s) => s.buffer);
  const setBuffer = useApp((s) => s.setBuffer);
  const save = useApp((s) => s.save);
  const saving = useApp((s) => s.saving);
  const revert = useApp((s) => s.revert);
  const diskNow = useApp((s) => s.diskNow);
  const fetchServerConfig = useApp((s) => s.fetchServerConfig);
  const conn = useApp((s) => s.activeConnection());
  const applyBlocked = useApp((s) => s.writeBlock(s.activeId));
  const target = useApp((s) => (s.activeId ? s.serverLabel(s.activeId) : ''));
  const [mode, setMode] = useState<Mode>('code');
  const [view, setView] = useState<EditorView | null>(null);
  const [applyOpen, setApplyOpen] = useState(false);
  const [formInvalid, setFormInvalid] = useState(0);
  const onInvalidCount = useCallback((n: number) => setFormInvalid(n), []);

  const analysis = useMemo(() => analyzeConfig(buffer, file?.path), [buffer, file?.path]);
  const dirty = !!file && buffer !== file.diskText;
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const isEnsemble = analysis.config?.platform === 'ensemble';

  // Keyed on the file's path, not the file object: every save gives a new object for the same file,
  // and that must not fetch the server's config again.
  useEffect(() => {
    if ((mode === 'diff-server' || mode === 'diff-disk') && file) void fetchServerConfig();
  }, [mode, file?.path, fetchServerConfig]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const onBefore = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBefore);
    return () => window.removeEventListener('beforeunload', onBefore);
  }, [dirty]);

  if (!file) {
    return (
      <Panel title="config.pbtxt">
        {fileError && <Alert kind="err">{fileError}</Alert>}
        <div className="empty">Open a model's config.pbtxt from the repository on the left.</div>
      </Panel>
    );
  }

  const jump = (line: number, col: number) => {
    if (!view) return;
    setMode('code');
    const pos = offsetOf(view.state.doc, line, col);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
  };
  const openStep = (model: string) => {
    const target = useApp.getState().listing?.models.find((m) => m.name === model);
    if (target?.configPath) {
      setMode('code');
      void useApp.getState().openFile(target.configPath);
    } else useApp.getState().toast('info', `${model} has no config.pbtxt in this folder`);
  };

  return (
    <section className="panel" data-testid="editor-panel">
      <header className="panel-head editor-head">
        <span className="mono editor-path" data-testid="editor-path" title={file.path}>
          {file.path}
          {dirty && <span style={{ color: 'var(--warn)' }}> ●</span>}
        </span>
        {errors.length > 0 || formInvalid > 0 ? (
          <span className="badge err" data-testid="diag-count">
            {errors.length > 0
              ? `${errors.length} error${errors.length > 1 ? 's' : ''}`
              : `${formInvalid} invalid field${formInvalid > 1 ? 's' : ''}`}
          </span>
        ) : (
          <span className="badge ok" data-testid="diag-count">
            valid
          </span>
        )}
        <span className="spacer" />
        <span className="actions">
          <button className="btn small" onClick={revert} disabled={!dirty}>
            Revert
          </button>
          <button
            className="btn small primary"
            onClick={() => void save()}
            disabled={!dirty || saving}
            title="Save (Ctrl+S)"
            data-testid="save"
          >
            {saving ? 'Saving…' : 'Save'} <Kbd>Ctrl+S</Kbd>
          </button>
          <button
            className="btn small"
            onClick={() => setApplyOpen(true)}
            disabled={!!applyBlocked}
            title={applyBlocked ?? `Load ${file.model} on ${target}`}
            data-testid="apply"
          >
            Apply to server…
          </button>
        </span>
      </header>
      {saving && <Progress />}
      <div className="tabs">
        {(
          [
            ['code', 'Code'],
            ['form', 'Form'],
            ['diff-disk', 'Diff vs disk'],
            ['diff-server', 'Diff vs server'],
            ...(isEnsemble ? [['graph', 'Pipeline']] : []),
          ] as [Mode, string][]
        ).map(([m, label]) => (
          <button
            key={m}
            className={mode === m ? 'active' : ''}
            onClick={() => setMode(m)}
            data-testid={`editor-tab-${m}`}
          >
            {label}
          </button>
        ))}
      </div>
      <SaveBanner
        dirty={dirty}
        errorCount={errors.length}
        onCompareWithDisk={() =>
          void useApp
            .getState()
            .fetchServerConfig()
            .then(() => setMode('diff-disk'))
        }
      />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        {/* The code editor stays mounted (hidden) so undo history and cursor survive tab switches. */}
        <div style={{ flex: 1, minHeight: 0, display: mode === 'code' ? 'block' : 'none' }}>
          <CodeEditor
            value={buffer}
            onChange={setBuffer}
            diagnostics={analysis.diagnostics}
            onSave={() => void save()}
            onReady={setView}
          />
        </div>
        {mode === 'form' && (
          <div style={{ flex: 1, minHeight: 0, overflow: 'auto', padding: 12 }}>
            <ConfigForm text={buffer} onChange={setBuffer} onInvalidCount={onInvalidCount} />
          </div>
        )}
        {mode === 'diff-disk' && (
          <DiffView
            left={diskNow?.text ?? file.diskText}
            right={buffer}
            leftLabel={`On disk${diskNow && diskNow.hash !== file.diskHash ? ' (changed since you opened it)' : ''}: ${file.path}`}
            rightLabel="Editor buffer"
            testId="diff-disk"
          />
        )}
        {mode === 'diff-server' && <ServerDiff buffer={buffer} model={file.model} connected={!!conn} />}
        {mode === 'graph' && analysis.json && (
          <div style={{ flex: 1, minHeight: 0, display: 'flex', padding: 12 }}>
            <EnsembleGraph config={analysis.json} onOpenStep={openStep} fill />
          </div>
        )}
        <Diagnostics diagnostics={analysis.diagnostics} onJump={jump} />
      </div>
      {applyOpen && <ApplyDialog dirty={dirty} hasErrors={errors.length > 0} onClose={() => setApplyOpen(false)} />}
    </section>
  );
}
