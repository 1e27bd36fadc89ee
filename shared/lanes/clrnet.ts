/**
 * CLRNet decoder (OTHER_MODELS.md section 2) for the last refinement stage `[B, 192, 78]`:
 * [logit0, logit1, start_y, start_x, theta, length/71, x0..x71 / (img_w - 1)], rows of the
 * cropped (cut_height) and resized 320x800 input. Scores use `>=` (LaneATT: `>`); the NMS is
 * LaneATT's kernel on [cols 0-3, length*71, xs*(img_w-1)]; points map back through the crop.
 * Like the LaneATT decoder it reuses typed scratch arrays across calls.
 */
import { CandidateHeap, rankedProposalRows } from './candidateHeap';
import { LaneDecodeError } from './errors';
import { laneNms, ROW_STRIDE } from './laneNms';
import { roundHalfEven, softmax2Second } from './numeric';
import { N_OFFSETS, ROW_YS, selectProposalRows } from './proposalRows';
import type { DroppedProposal, Point, Proposal, ProposalLane } from './types';

export const CLRNET_COLS = 78;

export interface ClrNetOptions {
  /** Confidence threshold, `score >= conf`. Default 0.4. */
  conf?: number;
  /** NMS threshold (mean |dx| in pixels of the 800-wide input). Default 50. */
  nms?: number;
  /** max_lanes. Default 4 (CULane; TuSimple: 5). */
  topk?: number;
  /** Network input size. Default 800 x 320. */
  imgW?: number;
  imgH?: number;
  /** Original frame and the rows cropped off its top. Default CULane 1640 x 590, cut 270. */
  origW?: number;
  origH?: number;
  cutHeight?: number;
  proposals?: boolean;
  maxProposals?: number;
  /** List proposals scoring at least this instead of `conf`. */
  proposalConf?: number;
}

export type ResolvedClrNetOptions = Required<Omit<ClrNetOptions, 'proposals' | 'maxProposals' | 'proposalConf'>>;

export const CLRNET_DEFAULTS: ResolvedClrNetOptions = {
  conf: 0.4,
  nms: 50,
  topk: 4,
  imgW: 800,
  imgH: 320,
  origW: 1640,
  origH: 590,
  cutHeight: 270,
};

export interface ClrNetResult {
  lanes: ProposalLane[];
  dropped: DroppedProposal[];
  nmsKeep: number[];
  nProposals: number;
  nAboveConf: number;
  params: ResolvedClrNetOptions;
  proposals?: Proposal[];
}

function resolve(opts: ClrNetOptions): ResolvedClrNetOptions {
  const o = { ...CLRNET_DEFAULTS };
  for (const k of Object.keys(CLRNET_DEFAULTS) as (keyof ResolvedClrNetOptions)[]) {
    const v = opts[k];
    if (v !== undefined && v !== null) o[k] = v;
  }
  if (!Number.isFinite(o.conf)) throw new LaneDecodeError(`conf must be a number, got ${o.conf}`);
  if (!(o.nms >= 0)) throw new LaneDecodeError(`nms must be >= 0, got ${o.nms}`);
  if (!(Number.isInteger(o.topk) && o.topk >= 0))
    throw new LaneDecodeError(`topk must be an integer >= 0, got ${o.topk}`);
  if (!(o.imgW > 1 && o.imgH > 0 && o.origW > 0 && o.origH > 0))
    throw new LaneDecodeError('image sizes must be positive');
  if (!(o.cutHeight >= 0 && o.cutHeight < o.origH)) {
    throw new LaneDecodeError(`cutHeight must be in [0, origH), got ${o.cutHeight}`);
  }
  return o;
}

export class ClrNetDecoder {
  private scores = new Float32Array(0);
  private candidates = new Int32Array(0);
  private nmsRows = new Float32Array(0);
  private keep = new Int32Array(0);
  private readonly rowsOut = new Int32Array(N_OFFSETS);
  private readonly heap = new CandidateHeap();

  decode(raw: Float32Array, options: ClrNetOptions = {}): ClrNetResult {
    const o = resolve(options);
    if (raw.length === 0 || raw.length % CLRNET_COLS !== 0) {
      throw new LaneDecodeError(
        `CLRNet output must hold N x 78 float32 values, got ${raw.length} (${raw.length * 4} bytes)`,
      );
    }
    const n = raw.length / CLRNET_COLS;
    const topk = Math.min(o.topk, n);
    if (this.scores.length < n) {
      this.scores = new Float32Array(n);
      this.candidates = new Int32Array(n);
      this.nmsRows = new Float32Array(n * ROW_STRIDE);
    }
    if (this.keep.length < topk) this.keep = new Int32Array(topk);
    const conf32 = Math.fround(o.conf);
    const xScale = Math.fround(o.imgW - 1);
    let count = 0;
    for (let i = 0, off = 0; i < n; i++, off += CLRNET_COLS) {
      const p = softmax2Second(raw[off], raw[off + 1]);
      this.scores[i] = p;
      if (!(p >= conf32)) continue;
      this.candidates[count++] = i;
      // NMS row: cat(pred[:4], pred[5:]) with length * 71 and xs * (img_w - 1), in float32.
      const dst = i * ROW_STRIDE;
      const rows = this.nmsRows;
      rows[dst] = raw[off];
      rows[dst + 1] = raw[off + 1];
      rows[dst + 2] = raw[off + 2];
      rows[dst + 3] = raw[off + 3];
      rows[dst + 4] = raw[off + 5] * (N_OFFSETS - 1);
      for (let j = 0; j < N_OFFSETS; j++) rows[dst + 5 + j] = raw[off + 6 + j] * xScale;
    }
    this.heap.build(this.scores, this.candidates, count);
    const kept = laneNms(this.nmsRows, this.heap, o.nms, topk, this.keep);

    const lanes: ProposalLane[] = [];
    const dropped: DroppedProposal[] = [];
    const nmsKeep: number[] = [];
    for (let k = 0; k < kept; k++) {
      const row = this.keep[k];
      nmsKeep.push(row);
      const off = row * CLRNET_COLS;
      const { start, length, end, m } = this.geometry(raw, off);
      if (m <= 1) {
        dropped.push({ row, score: this.scores[row], start, length, end, reason: 'fewer than 2 points' });
        continue;
      }
      const { inputPoints, points } = this.points(raw, off, m, o);
      lanes.push({
        row,
        anchor: null,
        score: this.scores[row],
        startY: raw[off + 2],
        startX: raw[off + 3],
        lengthRaw: raw[off + 5] * (N_OFFSETS - 1),
        start,
        length,
        end,
        inputPoints,
        points,
      });
    }
    const result: ClrNetResult = { lanes, dropped, nmsKeep, nProposals: n, nAboveConf: count, params: o };
    if (options.proposals) {
      const keptSet = new Set(nmsKeep);
      const rows = rankedProposalRows(this.heap, this.scores, n, this.candidates, count, {
        proposalConf: options.proposalConf,
        inclusive: true,
        max: options.maxProposals ?? 300,
      });
      result.proposals = rows.map((row) => {
        const off = row * CLRNET_COLS;
        const { m } = this.geometry(raw, off);
        return { row, score: this.scores[row], points: this.points(raw, off, m, o).points, kept: keptSet.has(row) };
      });
    }
    return result;
  }

  /** predictions_to_pred: start clamped to [0, 71], length = round(round(len * 71)), rows as LaneATT. */
  private geometry(raw: Float32Array, off: number) {
    const start = Math.min(Math.max(0, roundHalfEven(raw[off + 2] * (N_OFFSETS - 1))), N_OFFSETS - 1);
    const length = roundHalfEven(Math.fround(raw[off + 5] * (N_OFFSETS - 1)));
    const end = Math.min(start + length - 1, N_OFFSETS - 1);
    const m = selectProposalRows(raw, off + 6, 1, start, end, this.rowsOut);
    return { start, length, end, m };
  }

  private points(raw: Float32Array, off: number, m: number, o: ResolvedClrNetOptions) {
    const inputPoints = new Array<Point>(m);
    const points = new Array<Point>(m);
    const kept = o.origH - o.cutHeight;
    for (let j = 0; j < m; j++) {
      const i = this.rowsOut[j];
      const x = raw[off + 6 + i];
      const y = ROW_YS[i];
      inputPoints[j] = [x * (o.imgW - 1), y * o.imgH];
      // x normalised by img_w - 1 but scaled by ori_w, as upstream does.
      points[j] = [x * o.origW, ((y * kept + o.cutHeight) / o.origH) * o.origH];
    }
    return { inputPoints, points };
  }
}

const sharedDecoder = new ClrNetDecoder();

/** Decodes one image's CLRNet output (`[192, 78]`, batch dimension removed). */
export function decodeClrNet(raw: Float32Array, options: ClrNetOptions = {}): ClrNetResult {
  return sharedDecoder.decode(raw, options);
}
