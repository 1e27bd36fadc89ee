/** The repository folder browser: open folders, the serving server, and the model tree. */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { Alert, Panel } from '../../components/ui';
import { servingConnection, treeStates } from '../../lib/repoStatus';
import { ModelTreeItem } from './ModelTreeItem';
import { ServedBy } from './ServedBy';

export function RepoBrowser() {
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
  const demo = useApp((s) => s.demo);
  const servedBy = useApp((s) => s.servedBy);
  const activeId = useApp((s) => s.activeId);
  const connected = useApp((s) => s.activeConnection() !== null);
  const treeQuery = useApp((s) => s.repoTreeQuery);
  const setTreeQuery = useApp((s) => s.setRepoTreeQuery);
  const [path, setPath] = useState('');
  const models = useMemo(() => {
    const q = treeQuery.trim().toLowerCase();
    return (listing?.models ?? []).filter((m) => !q || m.name.toLowerCase().includes(q));
  }, [listing, treeQuery]);
  const root = roots.find((r) => r.rootId === rootId) ?? null;
  const servingId = servingConnection(root, demo, servedBy);
  const states = treeStates(servingId, { id: activeId, connected }, index);

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
          data-testid="repo-root-select"
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
            data-testid="repo-open-path"
          />
          <button className="btn small" type="submit">
            Open
          </button>
        </form>
        {root && <ServedBy root={root} servingId={servingId} />}
      </div>
      {listingError && (
        <div style={{ padding: 8 }}>
          <Alert kind="err">{listingError}</Alert>
        </div>
      )}
      {!!listing?.models.length && (
        <div className="row tree-filter">
          <input
            type="search"
            className="grow"
            placeholder="Filter models"
            value={treeQuery}
            onChange={(e) => setTreeQuery(e.target.value)}
            aria-label="Filter the repository tree"
            data-testid="repo-filter"
          />
          <span className="muted small" data-testid="repo-filter-count" data-shown={models.length}>
            {models.length === listing.models.length
              ? listing.models.length
              : `${models.length}/${listing.models.length}`}
          </span>
        </div>
      )}
      <ul className="list tree" data-testid="repo-tree">
        {models.map((m) => (
          <ModelTreeItem
            key={m.name}
            model={m}
            state={states.get(m.name)}
            openPath={file?.path}
            onOpen={(p) => void openFile(p)}
          />
        ))}
      </ul>
      {!!listing?.models.length && !models.length && <div className="empty">No model matches “{treeQuery}”.</div>}
      {listing?.truncated && (
        <div className="muted small" style={{ padding: 8 }}>
          Listing truncated.
        </div>
      )}
    </Panel>
  );
}
