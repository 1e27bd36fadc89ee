/**
 * Repository folder browser + config.pbtxt editor: code view with live diagnostics, form view for
 * common fields, diffs vs disk and vs the server's loaded config, safe save, and "apply to server"
 * with an explicit choice between a config override and the repository file.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../state/store';
import { Alert, Kbd, Panel, Progress } from '../components/ui';
import { CodeEditor } from '../components/CodeEditor';
import { DiffView } from '../components/DiffView';
import { ConfigForm } from '../components/ConfigForm';
import { EnsembleGraph } from '../components/EnsembleGraph';
import { analyzeConfig } from '../lib/pbtxt';
import type { EditorView } from '@codemirror/view';
import { offsetOf } from '../components/CodeEditor';
import { ApplyDialog, Diagnostics } from './ApplyDialog';

type Mode = 'code' | 'form' | 'diff-disk' | 'diff-server' | 'graph';

export function RepositoryView() {
  return (
    <div className="view grid-repo">
      <RepoBrowser />
      <EditorPanel />
    </div>
  );
}

function RepoBrowser() {
  const roots = useApp((s) => s.roots);
  const rootId = useApp((s) => s.rootId);
  const listing = useApp((s) => s.listing);
  const listingError = useApp((s) => s.listingError);
  const listingLoading = useApp((s) => s.listingLoading);
  const file = useApp((s) => s.file);
  const setRoot = useApp((s) => s.setRepositoryRoot);
  const openFile = useApp((s) => s.openFile);
  const openPath = useApp((s) => s.openRepositoryPath);
  const refresh = useApp((s) => s.refreshListing);
  const index = useApp((s) => s.index);
  const [path, setPath] = useState('');
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const stateOf = (name: string) => index.find((m) => m.name === name)?.state;

  return (
    <Panel
      title="Repository"
      flush
      testId="repo-browser"
      busy={listingLoading}
      actions={
        <button className="btn small" onClick={() => void refresh()} title="Re-read the folder">
          ↻
        </button>
      }
    >
      <div style={{ padding: 8, borderBottom: '1px solid var(--line)' }}>
        <select
          value={rootId ?? ''}
          onChange={(e) => setRoot(e.target.value)}
          style={{ width: '100%', marginBottom: 6 }}
          aria-label="Repository folder"
        >
          {!roots.length && <option value="">No folder open</option>}
          {roots.map((r) => (
            <option key={r.rootId} value={r.rootId}>
              {r.builtin ? `${r.name} (demo)` : r.name}
            </option>
          ))}
        </select>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void openPath(path.trim());
          }}
        >
          <input
            type="text"
            className="grow"
            placeholder="/path/to/model_repository"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            aria-label="Folder path"
          />
          <button className="btn small" type="submit">
            Open
          </button>
        </form>
      </div>
      {listingError && (
        <div style={{ padding: 8 }}>
          <Alert kind="err">{listingError}</Alert>
        </div>
      )}
      <ul className="list tree" data-testid="repo-tree">
        {listing?.models.map((m) => {
          const expanded = open[m.name] ?? false;
          const st = stateOf(m.name);
          return (
            <li key={m.name} style={{ display: 'block', padding: 0 }}>
              <div
                className="row"
                style={{ padding: '4px 8px', gap: 6 }}
                onClick={() => setOpen({ ...open, [m.name]: !expanded })}
              >
                <span className="icon">{expanded ? '▾' : '▸'}</span>
                <span className="grow" style={{ fontWeight: 550 }}>
                  {m.name}
                </span>
                {st && (
                  <span className={`dot ${st === 'READY' ? 'ok' : st === 'UNAVAILABLE' ? 'err' : ''}`} title={st} />
                )}
              </div>
              {m.configPath && (
                <div
                  className={`row ${file?.path === m.configPath ? 'selected' : ''}`}
                  style={{
                    padding: '3px 8px 3px 28px',
                    gap: 6,
                    background: file?.path === m.configPath ? 'var(--bg2)' : undefined,
                  }}
                  onClick={() => void openFile(m.configPath!)}
                  data-testid={`open-config-${m.name}`}
                >
                  <span className="icon">⚙</span> config.pbtxt
                </div>
              )}
              {expanded && (
                <>
                  {m.files
                    .filter((f) => f.path !== m.configPath)
                    .map((f) => (
                      <div key={f.path} className="muted" style={{ padding: '2px 8px 2px 28px' }}>
                        {f.path.split('/').pop()} <span className="small">{fmtSize(f.size)}</span>
                      </div>
                    ))}
                  {m.versions.map((v) => (
                    <div key={v.version} style={{ padding: '2px 8px 2px 28px' }}>
                      <span className="icon">▸</span> {v.version}/
                      {v.files.map((f) => (
                        <div key={f.path} className="muted" style={{ paddingLeft: 20 }}>
                          {f.path.split('/').pop()} <span className="small">{fmtSize(f.size)}</span>
                        </div>
                      ))}
                    </div>
                  ))}
                  {!m.configPath && (
                    <div className="muted small" style={{ padding: '2px 8px 2px 28px' }}>
                      no config.pbtxt (auto-complete config)
                    </div>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {listing?.truncated && (
        <div className="muted small" style={{ padding: 8 }}>
          Listing truncated.
        </div>
      )}
    </Panel>
  );
}

function fmtSize(n: number): string {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

function EditorPanel() {
  const file = useApp((s) => s.file);
  const fileError = useApp((s) => s.fileError);
  const buffer = useApp((s) => s.buffer);
  const setBuffer = useApp((s) => s.setBuffer);
  const save = useApp((s) => s.save);
  const saving = useApp((s) => s.saving);
  const lastSave = useApp((s) => s.lastSave);
  const revert = useApp((s) => s.revert);
  const serverConfig = useApp((s) => s.serverConfig);
  const serverConfigLoading = useApp((s) => s.serverConfigLoading);
  const diskNow = useApp((s) => s.diskNow);
  const fetchServerConfig = useApp((s) => s.fetchServerConfig);
  const conn = useApp((s) => s.activeConnection());
  const [mode, setMode] = useState<Mode>('code');
  const [view, setView] = useState<EditorView | null>(null);
  const [applyOpen, setApplyOpen] = useState(false);

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

  return (
    <section className="panel" data-testid="editor-panel">
      <header className="panel-head">
        <span
          style={{ textTransform: 'none', letterSpacing: 0, fontSize: 12.5 }}
          className="mono"
          data-testid="editor-path"
        >
          {file.path}
          {dirty && <span style={{ color: 'var(--warn)' }}> ●</span>}
        </span>
        {errors.length > 0 ? (
          <span className="badge err" data-testid="diag-count">
            {errors.length} error{errors.length > 1 ? 's' : ''}
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
            disabled={!conn}
            title={conn ? 'Load this model on the server' : 'Connect to a server first'}
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
      {lastSave && (
        <div style={{ padding: '8px 10px 0' }}>
          <Alert
            kind={lastSave.kind === 'saved' ? 'ok' : lastSave.kind === 'conflict' ? 'warn' : 'err'}
            testId="save-result"
          >
            {lastSave.message}
            {lastSave.kind === 'conflict' && (
              <div className="row" style={{ marginTop: 6 }}>
                <button
                  className="btn small"
                  onClick={() =>
                    void useApp
                      .getState()
                      .fetchServerConfig()
                      .then(() => setMode('diff-disk'))
                  }
                >
                  Compare with disk
                </button>
                <button
                  className="btn small"
                  onClick={() => void useApp.getState().openFile(file.path, true)}
                  data-testid="reload-from-disk"
                >
                  Reload from disk (drop my edits)
                </button>
                <button className="btn small danger" onClick={() => void save(true)}>
                  Overwrite (keep backup)
                </button>
              </div>
            )}
          </Alert>
        </div>
      )}
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
            <ConfigForm text={buffer} onChange={setBuffer} />
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
        {mode === 'diff-server' && (
          <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
            {serverConfigLoading && <Progress />}
            {!conn && <Alert kind="warn">Connect to a server to compare with its loaded config.</Alert>}
            {serverConfig?.error && (
              <div style={{ padding: 8 }}>
                <Alert kind="warn" title={`The server has no loaded config for ${file.model}`}>
                  {serverConfig.error.code}: {serverConfig.error.message}
                </Alert>
              </div>
            )}
            {serverConfig && (serverConfig.pbtxt != null || serverConfig.json != null) && (
              <DiffView
                left={serverConfig.pbtxt ?? JSON.stringify(serverConfig.json, null, 2)}
                right={
                  serverConfig.pbtxt != null
                    ? formatForDiff(buffer)
                    : JSON.stringify(analyzeConfig(buffer).json ?? {}, null, 2)
                }
                leftLabel={`Loaded on the server (${file.model}), canonical form`}
                rightLabel="Editor buffer, canonical form"
                testId="diff-server"
              />
            )}
          </div>
        )}
        {mode === 'graph' && analysis.json && (
          <div style={{ flex: 1, overflow: 'auto', padding: 12 }}>
            <EnsembleGraph config={analysis.json} />
          </div>
        )}
        <Diagnostics diagnostics={analysis.diagnostics} onJump={jump} />
      </div>
      {applyOpen && <ApplyDialog dirty={dirty} hasErrors={errors.length > 0} onClose={() => setApplyOpen(false)} />}
    </section>
  );
}

function formatForDiff(text: string): string {
  return analyzeConfig(text).canonical ?? text;
}
