/**
 * Ensemble pipeline layout: tensors (pills) and steps (boxes) in columns by dependency depth, edges
 * labelled with the step's own tensor name where it differs from the ensemble's. Geometry is
 * computed here, not in the view: node widths fit their text, and the gap between columns fits the
 * widest edge label, so no label is drawn under a node or cut off; `bounds` holds every node and
 * label (the view fits it). Pure.
 */
import { configText } from '../../lib/configText';

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

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GraphNode extends Box {
  id: string;
  kind: 'tensor' | 'step';
  label: string;
  sub?: string;
  col: number;
  row: number;
  role?: 'input' | 'output' | 'internal';
  /** For steps: the model it runs. */
  model?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  /** Cubic path from the source's right edge to the target's left edge. */
  path: string;
  /** Where the label sits (its box), when there is one. */
  labelBox?: Box;
}

export interface EnsembleLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  cols: number;
  bounds: Box;
}

/** Approximate advance of one character (px) at the graph's font sizes; generous, so text fits. */
export const CHAR_W = { title: 7.4, sub: 6.2, label: 6.2 };
const MIN_NODE_W = 150;
const NODE_H = 40;
const ROW_H = 74;
const MIN_GAP = 50;
const LABEL_PAD = 6;
const LABEL_H = 14;
const MARGIN = 20;

export function textWidth(text: string, size: keyof typeof CHAR_W): number {
  return Math.ceil(text.length * CHAR_W[size]);
}

export function layoutEnsemble(config: Record<string, unknown>): EnsembleLayout {
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
      const d = Math.max(0, ...Object.values(s.inputMap).map((t) => depth.get(t) ?? 0));
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
  // Ensemble inputs/outputs carry their type and dims in the config: shown on the pill.
  const io = new Map<string, string>();
  for (const t of [
    ...((config.input as Record<string, unknown>[]) ?? []),
    ...((config.output as Record<string, unknown>[]) ?? []),
  ]) {
    const dims = Array.isArray(t.dims) ? `[${(t.dims as unknown[]).join(', ')}]` : '';
    io.set(String(t.name), `${configText(t.data_type, '').replace(/^TYPE_/, '')} ${dims}`.trim());
  }

  const rowsByCol = new Map<number, number>();
  const place = (col: number) => {
    const r = rowsByCol.get(col) ?? 0;
    rowsByCol.set(col, r + 1);
    return r;
  };
  const nodes: GraphNode[] = [];
  for (const [t, col] of depth) {
    nodes.push({
      id: `t:${t}`,
      kind: 'tensor',
      label: t,
      sub: io.get(t) || undefined,
      col,
      row: place(col),
      role: inputs.includes(t) ? 'input' : outputs.has(t) ? 'output' : 'internal',
      x: 0,
      y: 0,
      w: 0,
      h: NODE_H,
    });
  }
  steps.forEach((s, i) => {
    nodes.push({
      id: `s:${i}`,
      kind: 'step',
      label: s.model,
      sub: `model · ${s.version >= 0 ? `v${s.version}` : 'latest'}`,
      model: s.model,
      col: stepCol[i],
      row: place(stepCol[i]),
      x: 0,
      y: 0,
      w: 0,
      h: NODE_H,
    });
  });
  const edgeSpecs: { from: string; to: string; label?: string }[] = [];
  steps.forEach((s, i) => {
    for (const [k, t] of Object.entries(s.inputMap))
      edgeSpecs.push({ from: `t:${t}`, to: `s:${i}`, label: k !== t ? k : undefined });
    for (const [k, t] of Object.entries(s.outputMap))
      edgeSpecs.push({ from: `s:${i}`, to: `t:${t}`, label: k !== t ? k : undefined });
  });

  const cols = Math.max(0, ...nodes.map((n) => n.col)) + 1;
  // Each column as wide as its widest node; each gap as wide as the widest label crossing it.
  const colW = new Array<number>(cols).fill(MIN_NODE_W);
  for (const n of nodes) {
    n.w = Math.max(MIN_NODE_W, textWidth(n.label, 'title') + 24, textWidth(n.sub ?? '', 'sub') + 24);
    colW[n.col] = Math.max(colW[n.col], n.w);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const gapW = new Array<number>(Math.max(0, cols - 1)).fill(MIN_GAP);
  for (const e of edgeSpecs) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b || !e.label) continue;
    for (let g = Math.min(a.col, b.col); g < Math.max(a.col, b.col); g++)
      gapW[g] = Math.max(gapW[g], textWidth(e.label, 'label') + 2 * LABEL_PAD + 20);
  }
  const colX: number[] = [];
  let x = MARGIN;
  for (let c = 0; c < cols; c++) {
    colX.push(x);
    x += colW[c] + (gapW[c] ?? 0);
  }
  for (const n of nodes) {
    n.x = colX[n.col] + (colW[n.col] - n.w) / 2;
    n.y = MARGIN + n.row * ROW_H;
  }

  const edges: GraphEdge[] = edgeSpecs
    .filter((e) => byId.has(e.from) && byId.has(e.to))
    .map((e) => {
      const a = byId.get(e.from)!;
      const b = byId.get(e.to)!;
      const x1 = a.x + a.w;
      const y1 = a.y + a.h / 2;
      const x2 = b.x;
      const y2 = b.y + b.h / 2;
      const mx = (x1 + x2) / 2;
      const edge: GraphEdge = { ...e, path: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2 - 2} ${y2}` };
      if (e.label) {
        const w = textWidth(e.label, 'label') + 2 * LABEL_PAD;
        edge.labelBox = { x: mx - w / 2, y: (y1 + y2) / 2 - LABEL_H - 2, w, h: LABEL_H };
      }
      return edge;
    });

  const boxes: Box[] = [...nodes, ...edges.flatMap((e) => (e.labelBox ? [e.labelBox] : []))];
  const minX = Math.min(0, ...boxes.map((b) => b.x - MARGIN));
  const minY = Math.min(0, ...boxes.map((b) => b.y - MARGIN));
  const maxX = Math.max(...boxes.map((b) => b.x + b.w + MARGIN), MARGIN);
  const maxY = Math.max(...boxes.map((b) => b.y + b.h + MARGIN), MARGIN);
  return { nodes, edges, cols, bounds: { x: minX, y: minY, w: maxX - minX, h: maxY - minY } };
}
