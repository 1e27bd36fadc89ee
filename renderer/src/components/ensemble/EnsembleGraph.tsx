/**
 * Ensemble pipeline graph (layout in ./layout): zoom with the wheel or the buttons, pan by
 * dragging, "Fit" to see it whole; a click on a step opens its model. Edge labels sit in gaps
 * sized for them, on a backing that keeps them readable over the edges.
 */
import { useMemo } from 'react';
import { layoutEnsemble, type GraphNode } from './layout';
import { useZoomPan } from './useZoomPan';

export { ensembleSteps, layoutEnsemble } from './layout';

const STROKE = { step: '#4aa3ff', input: '#3ecf8e', output: '#f2b84b', internal: '#4a5668' };

export function EnsembleGraph({
  config,
  onOpenStep,
  fill,
}: {
  config: Record<string, unknown>;
  /** Called with a step's model name when the step is clicked. */
  onOpenStep?(model: string): void;
  /** Take the parent's full height (a flex column) instead of a height from the graph's own. */
  fill?: boolean;
}) {
  const layout = useMemo(() => layoutEnsemble(config), [config]);
  const { viewport, layer, fit, zoomBy, pointerHandlers, wasDrag } = useZoomPan(layout.bounds);
  if (!layout.nodes.length) return <div className="muted">This ensemble has no steps.</div>;
  const height = fill ? undefined : `clamp(200px, ${Math.ceil(layout.bounds.h) + 8}px, 60vh)`;
  return (
    <div className={`ensemble ${fill ? 'fill' : ''}`} data-testid="ensemble-graph">
      <div className="row ensemble-toolbar">
        <button className="btn small" onClick={() => zoomBy(1.25)} title="Zoom in" data-testid="ensemble-zoom-in">
          +
        </button>
        <button className="btn small" onClick={() => zoomBy(0.8)} title="Zoom out" data-testid="ensemble-zoom-out">
          −
        </button>
        <button className="btn small" onClick={fit} title="Show the whole pipeline" data-testid="ensemble-fit">
          Fit
        </button>
        <span className="muted small">
          Wheel to zoom, drag to pan{onOpenStep ? ', click a step to open its model' : ''}.
        </span>
      </div>
      <div
        className="ensemble-viewport"
        ref={viewport}
        style={{ height }}
        {...pointerHandlers}
        data-testid="ensemble-viewport"
      >
        <svg width="100%" height="100%" role="img" aria-label="Ensemble pipeline">
          <defs>
            <marker
              id="ensemble-arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#7d8a9a" />
            </marker>
          </defs>
          <g ref={layer}>
            {layout.edges.map((e, i) => (
              <path
                key={i}
                d={e.path}
                stroke="#4a5668"
                strokeWidth="1.5"
                fill="none"
                markerEnd="url(#ensemble-arrow)"
              />
            ))}
            {layout.nodes.map((n) => (
              <Node
                key={n.id}
                n={n}
                onOpen={onOpenStep && n.model ? () => !wasDrag() && onOpenStep(n.model!) : undefined}
              />
            ))}
            {/* Labels last: above edges and nodes, never hidden under a box. */}
            {layout.edges.map(
              (e, i) =>
                e.labelBox && (
                  <g key={`l${i}`} data-testid="ensemble-edge-label">
                    <rect
                      x={e.labelBox.x}
                      y={e.labelBox.y}
                      width={e.labelBox.w}
                      height={e.labelBox.h}
                      rx={3}
                      fill="#0e1116"
                      opacity={0.85}
                    />
                    <text
                      x={e.labelBox.x + e.labelBox.w / 2}
                      y={e.labelBox.y + e.labelBox.h - 3.5}
                      fill="#b4bfcc"
                      fontSize="10"
                      textAnchor="middle"
                      className="mono"
                    >
                      {e.label}
                    </text>
                  </g>
                ),
            )}
          </g>
        </svg>
      </div>
      <div className="row muted small" style={{ gap: 14, marginTop: 6 }}>
        <span>
          <span className="dot ok" /> ensemble input
        </span>
        <span>
          <span className="dot warn" /> ensemble output
        </span>
        <span>▭ step (model)</span>
      </div>
    </div>
  );
}

function Node({ n, onOpen }: { n: GraphNode; onOpen?: () => void }) {
  const isStep = n.kind === 'step';
  const stroke = isStep ? STROKE.step : STROKE[n.role ?? 'internal'];
  return (
    <g
      transform={`translate(${n.x},${n.y})`}
      data-testid={isStep ? 'ensemble-step' : 'ensemble-tensor'}
      data-model={n.model}
      className={onOpen ? 'ensemble-step-link' : undefined}
      onClick={onOpen}
      role={onOpen ? 'button' : undefined}
      tabIndex={onOpen ? 0 : undefined}
      onKeyDown={onOpen ? (e) => (e.key === 'Enter' || e.key === ' ') && onOpen() : undefined}
      aria-label={onOpen ? `Open model ${n.label}` : undefined}
    >
      <rect
        width={n.w}
        height={n.h}
        rx={isStep ? 5 : 20}
        fill={isStep ? '#16263a' : '#1b212a'}
        stroke={stroke}
        strokeWidth="1.5"
      />
      <title>{n.sub ? `${n.label} · ${n.sub}` : n.label}</title>
      <text
        x={n.w / 2}
        y={isStep || n.sub ? 17 : 24}
        fill="#e6ebf1"
        fontSize="12"
        textAnchor="middle"
        fontWeight={isStep ? 600 : 400}
      >
        {n.label}
      </text>
      {n.sub && (
        <text x={n.w / 2} y={31} fill="#7d8a9a" fontSize="10" textAnchor="middle" className="mono">
          {n.sub}
        </text>
      )}
    </g>
  );
}
