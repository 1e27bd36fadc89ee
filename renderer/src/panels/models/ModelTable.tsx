/**
 * The models table: virtualized rows (only those in view are in the DOM, so 1000 models cost what
 * 30 do), a sticky header, and keyboard navigation: ↑/↓, PageUp/PageDown, Home/End move the
 * selection (the detail pane follows) and keep the selected row in view.
 */
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../../state/store';
import type { ModelRow } from '../../lib/modelRows';
import { ModelRowView } from './ModelRowView';

const ROW_ESTIMATE = 34;

export function ModelTable({ rows, connectionId, stale }: { rows: ModelRow[]; connectionId: string; stale: boolean }) {
  const selected = useApp((s) => s.selectedModel);
  const selectModel = useApp((s) => s.selectModel);
  const errors = useApp((s) => s.modelErrors);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (i) => rows[i].key,
  });
  const selIndex = rows.findIndex((r) => r.name === selected);

  // A new selection (keys, the failure banner) or a new filter brings the selected row into view;
  // rows moving under a live sort (req/s) do not yank the scroll position.
  const selIndexRef = useRef(selIndex);
  selIndexRef.current = selIndex;
  useEffect(() => {
    if (selIndexRef.current >= 0) virtualizer.scrollToIndex(selIndexRef.current, { align: 'auto' });
  }, [selected, rows.length, virtualizer]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!rows.length) return;
      const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_ESTIMATE) - 1);
      const from = selIndex < 0 ? -1 : selIndex;
      const to: Record<string, number> = {
        ArrowDown: from + 1,
        ArrowUp: from < 0 ? 0 : from - 1,
        PageDown: from + page,
        PageUp: from - page,
        Home: 0,
        End: rows.length - 1,
      };
      if (!(e.key in to) || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, to[e.key]));
      selectModel(rows[next].name);
    },
    [rows, selIndex, selectModel],
  );

  const items = virtualizer.getVirtualItems();
  return (
    <div
      className="mtable"
      role="grid"
      aria-label="Models"
      aria-rowcount={rows.length}
      aria-activedescendant={selIndex >= 0 ? `model-row-${selIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="models-table"
      data-rows={rows.length}
    >
      <div className="mrow mhead" role="row">
        <div role="columnheader">Model</div>
        <div role="columnheader" className="mcell-ver">
          Ver.
        </div>
        <div role="columnheader">State</div>
        <div role="columnheader" className="mcell-traffic" title="Requests/s · average request time">
          Traffic
        </div>
        <div role="columnheader" />
      </div>
      <div className="mbody" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rows[v.index];
            return (
              <ModelRowView
                key={v.key}
                row={row}
                index={v.index}
                top={v.start}
                selected={row.name === selected}
                stale={stale}
                error={errors[row.name]}
                connectionId={connectionId}
                onSelect={selectModel}
                measure={virtualizer.measureElement}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
