/**
 * Maximum-weight bipartite assignment (Kuhn-Munkres with potentials, O(n^3)) — what the official
 * CULane evaluator's hungarianGraph and scipy's linear_sum_assignment(1 - iou) compute.
 * Rectangular matrices are padded with zero weights.
 */

/** `weights[i][j]`; returns for each row the matched column, or -1 (only when rows > columns). */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const cols = rows ? weights[0].length : 0;
  if (rows === 0) return [];
  if (cols === 0) return new Array<number>(rows).fill(-1);
  const n = Math.max(rows, cols);
  // Minimise cost = -weight on an n x n matrix (1-based arrays as in the classic formulation).
  const cost = (i: number, j: number) => (i <= rows && j <= cols ? -weights[i - 1][j - 1] : 0);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row assigned to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const match = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    if (p[j] >= 1 && p[j] <= rows && j <= cols) match[p[j] - 1] = j - 1;
  }
  return match;
}
