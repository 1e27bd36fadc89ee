/**
 * LaneATT's full anchor set (2784 straight lines: left edge, bottom edge, right edge), generated as
 * in lucastabelini/LaneATT laneatt.py generate_anchors (see ../shared/lanes/LANEATT.md section 1).
 * The demo model scores these anchors on the image, so its output rows mean what LaneATT's do.
 */
export const IMG_W = 640;
export const IMG_H = 360;
export const N_ROWS = 72;
const LEFT_ANGLES = [72, 60, 49, 39, 30, 22];
const RIGHT_ANGLES = [108, 120, 131, 141, 150, 158];
const BOTTOM_ANGLES = [165, 150, 141, 131, 120, 108, 100, 90, 80, 72, 60, 49, 39, 30, 15];
const LATERAL_N = 72;
const BOTTOM_N = 128;
export const N_ANCHORS =
  LATERAL_N * LEFT_ANGLES.length + BOTTOM_N * BOTTOM_ANGLES.length + LATERAL_N * RIGHT_ANGLES.length;

export interface AnchorSet {
  /** [N_ANCHORS] start_y (fraction of height from the bottom), start_x (fraction of width) */
  startY: Float32Array;
  startX: Float32Array;
  /** [N_ANCHORS * N_ROWS] anchor x in pixels of the 640-wide input at row i (row 0 = bottom edge) */
  xs: Float32Array;
  /** first row of each anchor (round(startY * 71)) */
  startRow: Int32Array;
}

/** y (pixels of the 360-high input) of anchor row i: 360 * (1 - i/71). */
export function rowY(i: number): number {
  return IMG_H * (1 - i / (N_ROWS - 1));
}

export function laneAttAnchors(): AnchorSet {
  const startY = new Float32Array(N_ANCHORS);
  const startX = new Float32Array(N_ANCHORS);
  const xs = new Float32Array(N_ANCHORS * N_ROWS);
  const startRow = new Int32Array(N_ANCHORS);
  let a = 0;
  const add = (x0: number, y0: number, angleDeg: number): void => {
    const tan = Math.tan((angleDeg * Math.PI) / 180);
    startY[a] = 1 - y0;
    startX[a] = x0;
    startRow[a] = Math.round((1 - y0) * (N_ROWS - 1));
    for (let i = 0; i < N_ROWS; i++) {
      const ay = 1 - i / (N_ROWS - 1);
      xs[a * N_ROWS + i] = (x0 + (y0 - ay) / tan) * IMG_W;
    }
    a++;
  };
  for (let k = 0; k < LATERAL_N; k++) for (const ang of LEFT_ANGLES) add(0, 1 - k / (LATERAL_N - 1), ang);
  for (let k = 0; k < BOTTOM_N; k++) for (const ang of BOTTOM_ANGLES) add(1 - k / (BOTTOM_N - 1), 1, ang);
  for (let k = 0; k < LATERAL_N; k++) for (const ang of RIGHT_ANGLES) add(1, 1 - k / (LATERAL_N - 1), ang);
  return { startY, startX, xs, startRow };
}
