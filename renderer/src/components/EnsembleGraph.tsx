/**
 * Ensemble pipeline graph: tensors (rounded pills) and steps (boxes), laid out in columns by
 * dependency depth, edges labelled with the step's own tensor names when they differ.
 */
import { configText } from '../lib/configText';
import { useMemo } from 'react';

export interface EnsembleStep {
  model: string;
  version: number;
  /** step input name -> ensemble tensor */
  inputMap: Record<string, string>;
  /** step output name -> ensemble tensor */
  outputMap: Record<string, string>;
}

export function ensembleSteps(config: Record<string, unknown>): EnsembleStep[] {
  const sched = config.ensemble_scheduling as { step?: Record<string, unknown>[] } | undefined;
  return (sched?.step ?? []).map((s) => ({
    model: configText(s.model_name, ''),
    version: Number(s.model_version ?? -1),
    inputMap: (s.input_map as Record<string, string>) ?? {},
    outputMap: (s.output_map as Record<string, string>) ?? {},
  }));
}

interface Node {
  id: string;
  kind: 'tensor' | 'step';
  label: string;
  sub?: string;
  col: number;
  row: number;
  role?: 'input' | 'output' | 'internal';
}
interface Edge {
  from: string;
  to: string;
  label?: string;
}

export function layoutEnsemble(config: Record<string, unknown>): { nodes: Node[]; edges: Edge[]; cols: number } {
  const steps = ensembleSteps(config);
  const inputs = ((config.input as { name: string }[]) ?? []).map((t) => t.name);
  const outputs = new Set(((config.output as { name: string }[]) ?? []).map((t) => t.name));
  const depth = new Map<string, number>(); // tensor -> column
  inputs.forEach((t) => depth.set(t, 0));
  const stepCol = new Array<number>(steps.length).fill(-1);
  // Relax until stable: a step sits one column right of its deepest input; its outputs one more.
  for (let iter = 0; iter < steps.length + 1; iter++) {
    let changed = false;
    steps.forEach((s, i) => {
      const ins = Object.values(s.inputMap);
      const d = Math.max(0, ...ins.map((t) => depth.get(t) ?? 0));
      if (stepCol[i] !== d + 1) {
        stepCol[i] = d + 1;
        changed = true;
      }
      for (const t of Object.values(s.outputMap)) {
        if ((depth.get(t) ?? -1) < d + 2) {
          depth.set(t, d + 2);
          changed = true;
        }
      }
    });
    if (!changed) break;
  }
  const nodes: Node[] = [];
  const rowsByCol = new Map<number, number>();
  const place = (col: number) => {
    const r = rowsByCol.get(col) ?? 0;
    rowsByCol.set(col, r + 1);
    return r;
  };
  // Ensemble inputs/outputs carry their type and dims in the config: show them on the pill.
  const io = new Map<string, string>();
  for (const t of [
    ...((config.input as Record<string, unknown>[]) ?? []),
    ...((config.output as Record<string, unknown>[]) ?? []),
  ]) {
    const dims = Array.isArray(t.dims) ? `[${(t.dims as unknown[]).join(', ')}]` : '';
    io.set(String(t.name), `${configText(t.data_type, '').replace(/^TYPE_/, '')} ${dims}`.trim());
  }
  for (const [t, col] of depth) {
    nodes.push({
      id: `t:${t}`,
      kind: 'tensor',
      label: t,
      sub: io.get(t) || undefined,
      col,
      row: place(col),
      role: inputs.includes(t) ? 'input' : outputs.has(t) ? 'output' : 'internal',
    });
  }
  steps.forEach((s, i) => {
    nodes.push({
      id: `s:${i}`,
      kind: 'step',
      label: s.model,
      sub: s.version >= 0 ? `v${s.version}` : 'latest',
      col: stepCol[i],
      row: place(stepCol[i]),
    });
  });
  const edges: Edge[] = [];
  steps.forEach((s, i) => {
    for (const [k, t] of Object.entries(s.inputMap))
      edges.push({ from: `t:${t}`, to: `s:${i}`, label: k !== t ? k : undefined });
    for (const [k, t] of Object.entries(s.outputMap))
      edges.push({ from: `s:${i}`, to: `t:${t}`, label: k !== t ? k : undefined });
  });
  const cols = Math.max(0, ...nodes.map((n) => n.col)) + 1;
  return { nodes, edges, cols };
}

const COL_W = 200;
const ROW_H = 74;
const NODE_W = 150;
const NODE_H = 40;
/** Below this zoom the labels get unreadable: the graph scrolls instead of shrinking further. */
const MIN_SCALE = 0.7;

export function EnsembleGraph({ config }: { config: Record<string, unknown> }) {
  const { nodes, edges, cols } = useMemo(() => layoutEnsemble(config), [config]);
  if (!nodes.length) return <div className="muted">This ensemble has no steps.</div>;
  const rows = Math.max(...nodes.map((n) => n.row)) + 1;
  const pos = new Map(nodes.map((n) => [n.id, { x: 20 + n.col * COL_W, y: 20 + n.row * ROW_H }]));
  const width = 40 + (cols - 1) * COL_W + NODE_W;
  const height = 40 + rows * ROW_H;
  return (
    <div className="graph" data-testid="ensemble-graph" style={{ overflow: 'auto' }}>
      {/* Scales down to fit the panel (a 5-column pipeline is wider than the model detail pane). */}
      <svg
        viewBox={`0 0 ${width} ${height}`}
        style={{ width: '100%', maxWidth: width, minWidth: width * MIN_SCALE, height: 'auto', display: 'block' }}
        role="img"
        aria-label="Ensemble pipeline"
      >
        <defs>
          <marker
            id="arrow"
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
        {edges.map((e, i) => {
          const a = pos.get(e.from)!;
          const b = pos.get(e.to)!;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const mx = (x1 + x2) / 2;
          return (
            <g key={i}>
              <path
                d={`M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2 - 2} ${y2}`}
                stroke="#4a5668"
                strokeWidth="1.5"
                fill="none"
                markerEnd="url(#arrow)"
              />
              {e.label && (
                <text x={mx} y={(y1 + y2) / 2 - 4} fill="#7d8a9a" fontSize="10" textAnchor="middle">
                  {e.label}
                </text>
              )}
            </g>
          );
        })}
        {nodes.map((n) => {
          const p = pos.get(n.id)!;
          const isStep = n.kind === 'step';
          const stroke = isStep
            ? '#4aa3ff'
            : n.role === 'input'
              ? '#3ecf8e'
              : n.role === 'output'
                ? '#f2b84b'
                : '#4a5668';
          return (
            <g
              key={n.id}
              transform={`translate(${p.x},${p.y})`}
              data-testid={isStep ? 'ensemble-step' : 'ensemble-tensor'}
            >
              <rect
                width={NODE_W}
                height={NODE_H}
                rx={isStep ? 5 : 20}
                fill={isStep ? '#16263a' : '#1b212a'}
                stroke={stroke}
                strokeWidth="1.5"
              />
              <title>{n.sub ? `${n.label} · ${n.sub}` : n.label}</title>
              <text
                x={NODE_W / 2}
                y={isStep || n.sub ? 17 : 24}
                fill="#e6ebf1"
                fontSize="12"
                textAnchor="middle"
                fontWeight={isStep ? 600 : 400}
              >
                {n.label.length > 22 ? `${n.label.slice(0, 21)}…` : n.label}
              </text>
              {n.sub && (
                <text x={NODE_W / 2} y={31} fill="#7d8a9a" fontSize="10" textAnchor="middle" className="mono">
                  {isStep ? `model · ${n.sub}` : n.sub.length > 26 ? `${n.sub.slice(0, 25)}…` : n.sub}
                </text>
              )}
            </g>
          );
        })}
      </svg>
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
