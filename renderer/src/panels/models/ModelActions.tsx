/**
 * Load / Reload / Unload of one model on the active server. Unload asks first, naming the server
 * and the model; the action goes to the server named in the question even if the active server
 * changes before the answer. A read-only (production) or unreachable server disables both, with
 * the reason as the tooltip.
 */
import { useApp } from '../../state/store';
import type { ModelRow } from '../../lib/modelRows';

export function ModelActions({ row, connectionId }: { row: ModelRow; connectionId: string }) {
  const blocked = useApp((s) => s.writeBlock(connectionId));
  const busy = useApp((s) => !!s.modelBusy[row.name]);
  const loadModel = useApp((s) => s.loadModel);
  const unloadModel = useApp((s) => s.unloadModel);
  const askConfirm = useApp((s) => s.askConfirm);
  const serverLabel = useApp((s) => s.serverLabel(connectionId));
  const ready = row.status === 'ready';

  const askUnload = () =>
    askConfirm({
      title: `Unload ${row.name}?`,
      lines: [
        `Unload “${row.name}” from ${serverLabel}.`,
        'Requests to it fail until it is loaded again. You can re-load it from the notice that follows.',
      ],
      confirmLabel: 'Unload',
      danger: true,
      onConfirm: () => void unloadModel(row.name, { connectionId }),
    });

  return (
    <div className="model-actions" onClick={(e) => e.stopPropagation()}>
      <button
        className="btn small"
        disabled={busy || !!blocked}
        title={blocked ?? `${ready ? 'Reload' : 'Load'} ${row.name} on ${serverLabel}`}
        onClick={() => void loadModel(row.name, { connectionId })}
        data-testid={`load-${row.name}`}
      >
        {ready ? 'Reload' : 'Load'}
      </button>
      <button
        className="btn small"
        disabled={busy || !!blocked || !ready}
        title={blocked ?? (ready ? `Unload ${row.name} from ${serverLabel}…` : 'Not loaded')}
        onClick={askUnload}
        data-testid={`unload-${row.name}`}
      >
        Unload…
      </button>
    </div>
  );
}
