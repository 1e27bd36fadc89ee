/**
 * LaneATT's full anchor set (laneatt.py:41-46, 241-266), used only to name a proposal row
 * ("bottom/89/72" = bottom edge, origin 89, 72 degrees). The decode itself never needs anchors:
 * columns 2-4 and the xs carry the whole geometry.
 */
export const LEFT_ANGLES = [72, 60, 49, 39, 30, 22];
export const RIGHT_ANGLES = [108, 120, 131, 141, 150, 158];
export const BOTTOM_ANGLES = [165, 150, 141, 131, 120, 108, 100, 90, 80, 72, 60, 49, 39, 30, 15];
export const LATERAL_N = 72;
export const BOTTOM_N = 128;
const LEFT_COUNT = LATERAL_N * LEFT_ANGLES.length; // 432
const BOTTOM_COUNT = BOTTOM_N * BOTTOM_ANGLES.length; // 1920
/** Row count of an export without anchor-frequency filtering. */
export const FULL_ANCHOR_COUNT = LEFT_COUNT + BOTTOM_COUNT + LATERAL_N * RIGHT_ANGLES.length; // 2784

/**
 * `side/origin/angle` for a row of the full 2784-anchor set, or null when the export has another
 * row count (official checkpoints keep 1000 frequency-sorted anchors, whose order is unknown here).
 */
export function describeAnchor(row: number, rowCount: number): string | null {
  if (rowCount !== FULL_ANCHOR_COUNT || row < 0 || row >= rowCount) return null;
  if (row < LEFT_COUNT) {
    return `left/${Math.floor(row / LEFT_ANGLES.length)}/${LEFT_ANGLES[row % LEFT_ANGLES.length]}`;
  }
  if (row < LEFT_COUNT + BOTTOM_COUNT) {
    const r = row - LEFT_COUNT;
    return `bottom/${Math.floor(r / BOTTOM_ANGLES.length)}/${BOTTOM_ANGLES[r % BOTTOM_ANGLES.length]}`;
  }
  const r = row - LEFT_COUNT - BOTTOM_COUNT;
  return `right/${Math.floor(r / RIGHT_ANGLES.length)}/${RIGHT_ANGLES[r % RIGHT_ANGLES.length]}`;
}
