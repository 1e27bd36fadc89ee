/**
 * How the stage draws lanes, so that each kind reads at a glance: predictions in solid colours
 * (green / red when judged against ground truth: TP / FP), ground truth dashed white over a dark
 * outline (amber when no prediction found it: FN), and in the A/B overlay A in warm colours and B
 * in cool ones. Also where score labels go: A's above the lane's top, B's below its bottom, and
 * any label that would cover another moved clear of it.
 */
import type { Point } from '../../../shared/lanes';

export const LANE_COLORS = ['#ff3b6b', '#29d3ff', '#ffd400', '#7cff4f', '#ff8a1f', '#c77dff', '#00ffb3', '#ff5ce1'];
/** A/B overlay: two families that cannot be mistaken for each other. */
export const FAMILY_COLORS = {
  A: ['#ff3b6b', '#ffd400', '#ff8a1f', '#ff5ce1'],
  B: ['#29d3ff', '#7cff4f', '#c77dff', '#00ffb3'],
} as const;
export const MATCH_COLORS = { tp: '#34e07a', fp: '#ff4545' } as const;
export const GT_COLOR = '#ffffff';
export const GT_MISSED_COLOR = '#ffb020';
export const GT_OUTLINE = '#000000';
/** On-screen px: dash and gap of ground truth, and of B lanes in the overlay. */
export const GT_DASH = [12, 8];
export const B_DASH = [4, 4];

export type Family = 'A' | 'B';
export type Match = 'tp' | 'fp';

export function laneColor(i: number, family?: Family, match?: Match): string {
  if (match) return MATCH_COLORS[match];
  if (family) return FAMILY_COLORS[family][i % FAMILY_COLORS[family].length];
  return LANE_COLORS[i % LANE_COLORS.length];
}

export interface LabelBox {
  /** Anchor (the pointer's tip) in frame pixels. */
  x: number;
  y: number;
  /** The box sits above the anchor ('down' pointer) or below it ('up'). */
  pointer: 'down' | 'up';
}

/** Approximate on-screen size of a score label (11 px monospace, 3 px padding, 5 px pointer). */
export function labelSize(text: string): { w: number; h: number } {
  return { w: text.length * 6.7 + 6, h: 17 + 5 };
}

/**
 * Anchors for the labels of the lanes of several sets: A (and single sets) at the lane's top
 * point, B at its bottom point, kept inside the frame; a label whose box would cover an earlier
 * one is moved away from the lane end (up for A, down for B) until it is clear. `inv` converts
 * screen px to frame px (1 / zoom).
 */
export function placeLabels(
  sets: readonly { family?: Family; lanes: readonly { points: readonly Point[]; text: string }[] }[],
  frameW: number,
  frameH: number,
  inv: number,
): LabelBox[][] {
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
  return sets.map((set) =>
    set.lanes.map((lane) => {
      const below = set.family === 'B';
      const pts = lane.points;
      const end = pts.length ? (below ? pts[pts.length - 1] : pts[0]) : ([0, 0] as Point);
      const { w, h } = labelSize(lane.text);
      const [bw, bh] = [(w + 2) * inv, (h + 2) * inv]; // 1 px of air around the tag's stroke
      const x = Math.max(bw / 2, Math.min(frameW - bw / 2, end[0]));
      let y = Math.max(below ? 0 : bh, Math.min(below ? frameH - bh : frameH, end[1]));
      const box = () => ({ x0: x - bw / 2, x1: x + bw / 2, y0: below ? y : y - bh, y1: below ? y + bh : y });
      const hits = (b: ReturnType<typeof box>) =>
        placed.some((p) => b.x0 < p.x1 && p.x0 < b.x1 && b.y0 < p.y1 && p.y0 < b.y1);
      for (let tries = 0; tries < 40 && hits(box()); tries++) y += (below ? 1 : -1) * (bh + 2 * inv);
      placed.push(box());
      return { x, y, pointer: below ? 'up' : 'down' };
    }),
  );
}
