/** Picks a lane model for slot A when none is chosen: the first READY model with an image input. */
import { useEffect } from 'react';
import { useApp } from '../../state/store';
import { imageInputOf } from '../../../../shared/inference';
import { metadataFor } from './modelMetadata';

export function useDefaultModel() {
  const conn = useApp((s) => s.activeConnection());
  const index = useApp((s) => s.index);
  const slotA = useApp((s) => s.slots.a.model);
  const refreshIndex = useApp((s) => s.refreshIndex);
  useEffect(() => {
    if (conn && !index.length) void refreshIndex();
  }, [conn, index.length, refreshIndex]);
  useEffect(() => {
    if (!conn || slotA) return;
    let cancelled = false;
    void (async () => {
      const ready = index.filter((m) => m.state === 'READY');
      // Prefer plain lane models over ensembles / preprocessors: try in a stable order.
      const ordered = [...ready].sort((x, y) => score(y.name) - score(x.name));
      for (const m of ordered) {
        try {
          const meta = await metadataFor(conn, m.name);
          imageInputOf(meta);
          if (!cancelled && !useApp.getState().slots.a.model) useApp.getState().setSlot('a', { model: m.name });
          return;
        } catch {
          /* not an image model */
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [conn, index, slotA]);
}

function score(name: string): number {
  const n = name.toLowerCase();
  return (
    (n.includes('lane') ? 2 : 0) +
    (n.includes('fp16') || n.includes('ensemble') || n.includes('pipeline') || n.includes('preprocess') ? -1 : 0)
  );
}
