/** Side-by-side diff (@codemirror/merge): left = the reference (disk or server), right = the editor buffer. */
import { useEffect, useRef } from 'react';
import { MergeView } from '@codemirror/merge';
import { baseExtensions } from './CodeEditor';

export function DiffView(props: {
  left: string;
  right: string;
  leftLabel: string;
  rightLabel: string;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const mv = new MergeView({
      a: { doc: props.left, extensions: baseExtensions(true) },
      b: { doc: props.right, extensions: baseExtensions(true) },
      parent: host.current!,
      highlightChanges: true,
      gutter: true,
      // Identical texts are shown whole (under "No differences"), not folded away to nothing.
      ...(props.left === props.right ? {} : { collapseUnchanged: { margin: 3, minSize: 6 } }),
    });
    return () => mv.destroy();
  }, [props.left, props.right]);
  const same = props.left === props.right;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }} data-testid={props.testId}>
      <div
        className="row small"
        style={{ padding: '4px 10px', borderBottom: '1px solid var(--line)', background: 'var(--bg1)' }}
      >
        <span className="grow muted">{props.leftLabel}</span>
        <span className="grow muted">{props.rightLabel}</span>
      </div>
      {same && (
        <div className="alert ok" style={{ margin: 8 }} data-testid="diff-identical">
          No differences.
        </div>
      )}
      <div className="cm-host" ref={host} style={{ overflow: 'auto', flex: 1 }} />
    </div>
  );
}
