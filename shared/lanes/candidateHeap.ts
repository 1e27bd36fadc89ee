/**
 * A max-heap of proposal indices ordered by score (ties: lower index first, like the reference
 * decoder's stable sort). The NMS usually stops after a handful of kept proposals, so popping
 * lazily from a heap beats sorting every candidate. Storage is reused across calls.
 */
export class CandidateHeap {
  private heap = new Int32Array(0);
  private size = 0;
  private scores: Float32Array = new Float32Array(0);

  /** Fills the heap with `indices[0..count)`, ranked by `scores[index]`. */
  build(scores: Float32Array, indices: Int32Array, count: number): void {
    if (this.heap.length < count) this.heap = new Int32Array(Math.max(count, this.heap.length * 2));
    this.scores = scores;
    this.heap.set(indices.subarray(0, count));
    this.size = count;
    for (let i = (count >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get length(): number {
    return this.size;
  }

  /** Removes and returns the best index, or -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0];
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size];
      this.siftDown(0);
    }
    return top;
  }

  private better(a: number, b: number): boolean {
    const sa = this.scores[a];
    const sb = this.scores[b];
    return sa > sb || (sa === sb && a < b);
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = this.size;
    const item = h[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.better(h[child + 1], h[child])) child++;
      if (!this.better(h[child], item)) break;
      h[i] = h[child];
      i = child;
    }
    h[i] = item;
  }
}

/**
 * Rows for the proposals overlay (LaneATT, CLRNet), best first, at most `max`: the decode's own
 * above-threshold `candidates[0..count)`, or, when a separate display threshold `proposalConf` is
 * given, every row of `scores[0..n)` passing it (compared in float32 like the decode; `inclusive`
 * = the model's own comparison: CLRNet `>=`, LaneATT `>`). Allocates: only called on request.
 */
export function rankedProposalRows(
  heap: CandidateHeap,
  scores: Float32Array,
  n: number,
  candidates: Int32Array,
  count: number,
  display: { proposalConf: number | undefined; inclusive: boolean; max: number },
): number[] {
  let list = candidates;
  let listCount = count;
  if (display.proposalConf !== undefined) {
    const thr = Math.fround(display.proposalConf);
    list = new Int32Array(n);
    listCount = 0;
    if (display.inclusive) {
      for (let i = 0; i < n; i++) if (scores[i] >= thr) list[listCount++] = i;
    } else {
      for (let i = 0; i < n; i++) if (scores[i] > thr) list[listCount++] = i;
    }
  }
  heap.build(scores, list, listCount);
  const rows: number[] = [];
  for (let row = heap.pop(); row >= 0 && rows.length < display.max; row = heap.pop()) rows.push(row);
  return rows;
}
