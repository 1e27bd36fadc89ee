/**
 * Which server serves the open folder: the demo server for the demo repository, or the one the
 * user picks for a folder they opened. The tree's state dots come from that server only.
 */
import { useApp } from '../../state/store';
import type { RepositoryRoot } from '../../../../shared/contract';

export function ServedBy({ root, servingId }: { root: RepositoryRoot; servingId: string | null }) {
  const profiles = useApp((s) => s.profiles);
  const activeId = useApp((s) => s.activeId);
  const setServedBy = useApp((s) => s.setServedBy);
  const serving = profiles.find((p) => p.id === servingId);
  const note = !servingId
    ? 'No model states shown: say which server serves this folder.'
    : servingId !== activeId
      ? `States shown while ${serving?.name ?? 'its server'} is the active server.`
      : null;
  return (
    <div style={{ marginTop: 6 }} data-testid="served-by">
      {root.builtin ? (
        <div className="muted small">Served by {serving?.name ?? 'the embedded demo server'}</div>
      ) : (
        <label className="row small muted" style={{ gap: 6 }}>
          Served by
          <select
            className="grow"
            value={servingId ?? ''}
            onChange={(e) => setServedBy(root.path, e.target.value || null)}
            data-testid="served-by-select"
          >
            <option value="">(unknown server)</option>
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {note && (
        <div className="muted small" data-testid="served-by-note">
          {note}
        </div>
      )}
    </div>
  );
}
