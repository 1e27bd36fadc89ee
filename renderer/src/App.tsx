/** The shell: top bar (server picker + status), navigation rail, the active view, status bar. */
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { useApp } from './state/store';
import type { ViewId } from './state/settings';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Icon, Kbd } from './components/ui';
import { HelpModal } from './components/HelpModal';
import { keyBelongsToField, viewKeyIndex, viewKeyLabel, type KeyMode } from './lib/shortcuts';
import { ServersView } from './panels/ServersView';
import { ModelsView } from './panels/models/ModelsView';
import { useStatsSampling } from './panels/models/useStatsSampling';
import { useActiveIndex } from './panels/useActiveIndex';
import { InspectorView } from './panels/inspector/InspectorView';
import { MetricsView } from './panels/metrics/MetricsView';
import { useMetricsSampling } from './panels/metrics/useMetricsSampling';
import { usePlaybackSampled } from './panels/inspector/playback';
import { watchModelLifecycle } from './panels/inspector/controller';
import { ServerPicker } from './panels/ServerPicker';
import { useStatusPolling } from './panels/useStatusPolling';
import { Toasts } from './components/notices/Toasts';
import { LogButton } from './components/notices/LogButton';
import { NotificationLog } from './components/notices/NotificationLog';
import { ConfirmDialog } from './components/ConfirmDialog';
import './styles/shared-ui.css';
import { getApi, getApiMode } from '../api';
import { onBridgeState, type BridgeState } from '../api';

// The repository view carries the code editor (CodeMirror, about a third of the bundle): loaded when
// first opened, so that starting the app does not parse it.
const RepositoryView = lazy(() => import('./panels/RepositoryView').then((m) => ({ default: m.RepositoryView })));

const VIEWS: { id: ViewId; label: string; icon: 'servers' | 'models' | 'repo' | 'inspect' | 'metrics'; key: string }[] =
  [
    { id: 'servers', label: 'Servers', icon: 'servers', key: '1' },
    { id: 'models', label: 'Models', icon: 'models', key: '2' },
    { id: 'repository', label: 'Config', icon: 'repo', key: '3' },
    { id: 'inspector', label: 'Inspect', icon: 'inspect', key: '4' },
    { id: 'metrics', label: 'Metrics', icon: 'metrics', key: '5' },
  ];

export function App() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const showHelp = useApp((s) => s.showHelp);
  const setShowHelp = useApp((s) => s.setShowHelp);
  const keyMode = useKeyMode();

  // Whichever view is open: a load/unload/apply or reconnect makes the inspector's metadata stale.
  useEffect(() => watchModelLifecycle(), []);
  useEffect(() => {
    const st = useApp.getState();
    void st.loadProfiles();
    void st.loadRoots();
    let off: (() => void) | undefined;
    try {
      const b = getApi();
      void b.demoStatus().then(
        (demo) => useApp.setState({ demo }),
        () => undefined,
      );
      const offs = [
        b.on('connectionStatus', (status) => useApp.getState().applyStatus(status)),
        b.on('connectionsChanged', () => void useApp.getState().loadProfiles()),
        b.on('repositoriesChanged', ({ roots }) => useApp.setState({ roots })),
        b.on('demoStatus', (demo) => useApp.setState({ demo })),
        b.on('menuCommand', ({ command, root }) => {
          const st = useApp.getState();
          if (command === 'open-repository') {
            st.setView('repository');
            if (root) void st.loadRoots().then(() => useApp.getState().setRepositoryRoot(root.rootId));
          } else if (command === 'about') {
            void b.appInfo().then(
              (i) =>
                st.toast(
                  'info',
                  `Tritonscope ${i.appVersion} · ${i.mode}${i.versions.electron ? ` · Electron ${i.versions.electron}` : ''} · Node ${i.versions.node} · ${i.platform}`,
                ),
              () => undefined,
            );
          } else {
            // open-images / open-video / open-image-folder: the inspector's file pickers.
            st.setView('inspector');
            const id = command === 'open-image-folder' ? 'folder-input' : 'file-input';
            setTimeout(() => document.querySelector<HTMLInputElement>(`[data-testid=${id}]`)?.click(), 50);
          }
        }),
      ];
      off = () => offs.forEach((f) => f());
    } catch {
      /* no backend: the panels show why */
    }
    return off;
  }, []);

  useStatusPolling();
  useStatsSampling();
  useMetricsSampling();
  useActiveIndex();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const viewIndex = viewKeyIndex(e, keyMode);
      if (viewIndex !== null) {
        e.preventDefault();
        setView(VIEWS[viewIndex].id);
      } else if (e.key === 'F1' || (e.key === '?' && !keyBelongsToField(e))) {
        e.preventDefault();
        setShowHelp(!useApp.getState().showHelp);
      } else if (e.key === 'Escape' && useApp.getState().showHelp) {
        setShowHelp(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView, setShowHelp, keyMode]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <div className="brand-mark" />
          Tritonscope
        </div>
        <ServerPicker />
        <div className="spacer" />
        <LogButton />
        <button className="btn small" onClick={() => setShowHelp(true)} title="Keyboard shortcuts (?)">
          Shortcuts
        </button>
      </header>
      <nav className="nav" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            className={view === v.id ? 'active' : ''}
            onClick={() => setView(v.id)}
            title={`${v.label} (${viewKeyLabel(keyMode, v.key)})`}
            data-testid={`nav-${v.id}`}
          >
            <Icon name={v.icon} />
            {v.label}
          </button>
        ))}
      </nav>
      <main className="main">
        <ErrorBoundary label={VIEWS.find((v) => v.id === view)?.label ?? 'View'} key={view}>
          {view === 'servers' && <ServersView />}
          {view === 'models' && <ModelsView />}
          {view === 'repository' && (
            <Suspense fallback={<div className="view" />}>
              <RepositoryView />
            </Suspense>
          )}
          {view === 'inspector' && <InspectorView />}
          {view === 'metrics' && <MetricsView />}
        </ErrorBoundary>
      </main>
      <StatusBar />
      {showHelp && <HelpModal mode={keyMode} onClose={() => setShowHelp(false)} />}
      <NotificationLog />
      <ConfirmDialog />
      <Toasts />
    </div>
  );
}

/** Electron or browser mode: which view keys reach the page. */
function useKeyMode(): KeyMode {
  return useMemo(() => {
    try {
      return getApiMode();
    } catch {
      return 'browser';
    }
  }, []);
}

function useBridgeState(): { state: BridgeState; detail?: string } {
  const [s, setS] = useState<{ state: BridgeState; detail?: string }>({ state: 'open' });
  useEffect(() => {
    try {
      return onBridgeState((state, detail) => setS({ state, detail }));
    } catch {
      return undefined;
    }
  }, []);
  return s;
}

function StatusBar() {
  const bridge = useBridgeState();
  const activeId = useApp((s) => s.activeId);
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeId));
  const status = useApp((s) => (activeId ? s.statuses[activeId] : undefined));
  // Sampled: the counters move on every request, the status bar needs a few updates a second.
  const sent = usePlaybackSampled((s) => s.requestsSent);
  const inFlight = usePlaybackSampled((s) => s.inFlight);
  return (
    <footer className="statusbar">
      <span>
        {profile ? `${profile.name} · ${profile.url}` : 'no server'}
        {status?.latencyMs != null && ` · ${status.latencyMs.toFixed(1)} ms`}
      </span>
      {bridge.state !== 'open' && (
        <span className="badge warn" data-testid="bridge-state" title={bridge.detail}>
          {bridge.state === 'connecting' ? 'connecting to the app services…' : 'services disconnected — reconnecting…'}
        </span>
      )}
      <span className="sep" />
      <span data-testid="requests-sent" data-count={sent}>
        infer requests: {sent}
        {inFlight > 0 && ` (${inFlight} in flight)`}
      </span>
      <span>
        <Kbd>?</Kbd> shortcuts
      </span>
    </footer>
  );
}
