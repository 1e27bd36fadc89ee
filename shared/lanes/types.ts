/** Types shared by every lane decoder, the metrics and the UI overlay. */

/** A point in pixels, `[x, y]`. */
export type Point = [number, number];

/** One decoded lane. `points` run top -> bottom (y increasing) unless a decoder says otherwise. */
export interface Lane {
  /** Points in pixels of the original image when its size was given, else of the model input. */
  points: Point[];
  /** Confidence in [0, 1] (LaneATT/CLRNet: softmax "lane" probability; UFLD: see ufld.ts). */
  score: number;
  /** Index of the proposal row (LaneATT/CLRNet) or lane slot (UFLD) it came from. */
  row: number;
}

/** A LaneATT/CLRNet lane with the proposal geometry that produced it. */
export interface ProposalLane extends Lane {
  /** Points in pixels of the model input (640x360 for LaneATT) before scaling. */
  inputPoints: Point[];
  /** Anchor description `side/origin/angle` when the output uses the full 2784-anchor set, else null. */
  anchor: string | null;
  /** Raw start_y column (fraction of the height from the bottom). */
  startY: number;
  /** Raw start_x column (fraction of the width; unused by the decode). */
  startX: number;
  /** Raw regressed length in rows, before rounding. */
  lengthRaw: number;
  /** First row (0 = bottom), length in rows (half-to-even rounded) and last row. */
  start: number;
  length: number;
  end: number;
}

/** A proposal kept by the NMS but emitted as no lane (fewer than 2 points): it still used a top-k slot. */
export interface DroppedProposal {
  row: number;
  score: number;
  start: number;
  length: number;
  end: number;
  reason: string;
}

/** A pre-NMS proposal for the overlay's "show proposals" layer. */
export interface Proposal {
  row: number;
  score: number;
  /** Same coordinate space as Lane.points; may hold fewer than 2 points. */
  points: Point[];
  /** True when the NMS kept this proposal (it may still have been dropped for < 2 points). */
  kept: boolean;
}

/** What every decoder returns. */
export interface DecodeResult {
  lanes: Lane[];
  /** Pre-NMS proposals above the confidence threshold, best first (only when asked for). */
  proposals?: Proposal[];
}

/** Describes one numeric option so a UI can render a slider or an input for it. */
export interface OptionDescriptor {
  key: string;
  label: string;
  kind: 'number' | 'integer' | 'boolean' | 'choice';
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
  description: string;
}
