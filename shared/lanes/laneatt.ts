/**
 * LaneATT decoder for the raw `[N, 77]` proposal tensor exported without NMS (LANEATT.md):
 * softmax of the two class logits, strict confidence threshold, lane NMS (top-k inside the NMS),
 * proposal -> points, scaling to the original image.
 *
 * Hot path (scores, candidate list, NMS) touches only typed arrays owned by a LaneAttDecoder and
 * reused across calls; objects are created only for the few output lanes (and, on request, for
 * the proposals layer).
 */
import { CandidateHeap, rankedProposalRows } from './candidateHeap';
import { describeAnchor } from './laneattAnchors';
import { LaneDecodeError } from './errors';
import { laneNms, ROW_STRIDE } from './laneNms';
import { roundHalfEven, softmax2Second } from './numeric';
import { N_OFFSETS, ROW_YS, selectProposalRows } from './proposalRows';
import type { DroppedProposal, Point, Proposal, ProposalLane } from './types';

export interface LaneAttOptions {
  /** Confidence threshold, strict `score > conf`. Default 0.5 (CULane cfg; TuSimple cfg uses 0.2). */
  conf?: number;
  /** NMS threshold: mean |dx| in pixels of the 640-wide input. Default 50 (TuSimple cfg: 45). */
  nms?: number;
  /** Maximum kept proposals (nms_topk), applied inside the NMS. Default 4 (TuSimple cfg: 5). */
  topk?: number;
  /** Columns 0-1 already hold probabilities (softmax inside the exported graph): use col 1 as is. */
  scoresAreProbs?: boolean;
  /** Model input size the xs are expressed in. Default 640 x 360. */
  imgW?: number;
  imgH?: number;
  /** Original image size; when given, Lane.points are scaled to it (the frame is resized, not cropped). */
  origW?: number | null;
  origH?: number | null;
  /** Also return the pre-NMS proposals above `conf` (best first) for the overlay. */
  proposals?: boolean;
  /** Cap on returned proposals (default 300). */
  maxProposals?: number;
  /** List proposals scoring strictly above this instead of `conf` (e.g. 0 to see weak ones too). */
  proposalConf?: number;
}

export interface ResolvedLaneAttOptions {
  conf: number;
  nms: number;
  topk: number;
  scoresAreProbs: boolean;
  imgW: number;
  imgH: number;
  origW: number | null;
  origH: number | null;
}

export interface LaneAttResult {
  lanes: ProposalLane[];
  /** NMS-kept proposals that produced no lane (< 2 points); each still used a top-k slot. */
  dropped: DroppedProposal[];
  /** Rows kept by the NMS, in keep order (includes the dropped ones). */
  nmsKeep: number[];
  nProposals: number;
  nAboveConf: number;
  params: ResolvedLaneAttOptions;
  proposals?: Proposal[];
}

export const LANEATT_DEFAULTS: ResolvedLaneAttOptions = {
  conf: 0.5,
  nms: 50,
  topk: 4,
  scoresAreProbs: false,
  imgW: 640,
  imgH: 360,
  origW: null,
  origH: null,
};

function resolveOptions(opts: LaneAttOptions): ResolvedLaneAttOptions {
  const o: ResolvedLaneAttOptions = {
    conf: opts.conf ?? LANEATT_DEFAULTS.conf,
    nms: opts.nms ?? LANEATT_DEFAULTS.nms,
    topk: opts.topk ?? LANEATT_DEFAULTS.topk,
    scoresAreProbs: opts.scoresAreProbs ?? false,
    imgW: opts.imgW ?? LANEATT_DEFAULTS.imgW,
    imgH: opts.imgH ?? LANEATT_DEFAULTS.imgH,
    origW: opts.origW ?? null,
    origH: opts.origH ?? null,
  };
  if (!Number.isFinite(o.conf)) throw new LaneDecodeError(`conf must be a number, got ${opts.conf}`);
  if (!(Number.isFinite(o.nms) && o.nms >= 0)) throw new LaneDecodeError(`nms must be a number >= 0, got ${opts.nms}`);
  if (!(Number.isInteger(o.topk) && o.topk >= 0))
    throw new LaneDecodeError(`topk must be an integer >= 0, got ${opts.topk}`);
  for (const k of ['imgW', 'imgH'] as const) {
    if (!(Number.isFinite(o[k]) && o[k] > 0)) throw new LaneDecodeError(`${k} must be > 0, got ${o[k]}`);
  }
  if ((o.origW === null) !== (o.origH === null)) {
    throw new LaneDecodeError('origW and origH must be given together');
  }
  if (o.origW !== null && !(o.origW > 0 && o.origH! > 0 && Number.isFinite(o.origW) && Number.isFinite(o.origH))) {
    throw new LaneDecodeError(`original size must be positive, got ${o.origW}x${o.origH}`);
  }
  return o;
}

/** Number of proposal rows in a raw LaneATT output; throws when the length is not a multiple of 77. */
export function laneAttRowCount(raw: Float32Array): number {
  if (raw.length === 0 || raw.length % ROW_STRIDE !== 0) {
    throw new LaneDecodeError(
      `LaneATT output must hold N x 77 float32 values, got ${raw.length} (${raw.length * 4} bytes)`,
    );
  }
  return raw.length / ROW_STRIDE;
}

/** Reusable decoder: owns the scratch arrays so repeated decodes (video, sliders) allocate nothing per proposal. */
export class LaneAttDecoder {
  private scores = new Float32Array(0);
  private candidates = new Int32Array(0);
  private keep = new Int32Array(0);
  private readonly rowsOut = new Int32Array(N_OFFSETS);
  private readonly heap = new CandidateHeap();

  private ensure(n: number, topk: number): void {
    if (this.scores.length < n) {
      this.scores = new Float32Array(n);
      this.candidates = new Int32Array(n);
    }
    if (this.keep.length < Math.min(topk, n)) this.keep = new Int32Array(Math.min(topk, n));
  }

  decode(raw: Float32Array, options: LaneAttOptions = {}): LaneAttResult {
    const o = resolveOptions(options);
    const n = laneAttRowCount(raw);
    const topk = Math.min(o.topk, n);
    this.ensure(n, topk);
    const scores = this.scores;
    const candidates = this.candidates;
    // Python compares a float32 tensor with a Python float in float32.
    const conf32 = Math.fround(o.conf);

    let count = 0;
    if (o.scoresAreProbs) {
      for (let i = 0, off = 0; i < n; i++, off += ROW_STRIDE) {
        const p = raw[off + 1];
        scores[i] = p;
        if (p > conf32) candidates[count++] = i;
      }
    } else {
      for (let i = 0, off = 0; i < n; i++, off += ROW_STRIDE) {
        const p = softmax2Second(raw[off], raw[off + 1]);
        scores[i] = p;
        if (p > conf32) candidates[count++] = i;
      }
    }

    this.heap.build(scores, candidates, count);
    const kept = laneNms(raw, this.heap, o.nms, topk, this.keep);

    const lanes: ProposalLane[] = [];
    const dropped: DroppedProposal[] = [];
    const nmsKeep: number[] = [];
    for (let k = 0; k < kept; k++) {
      const row = this.keep[k];
      nmsKeep.push(row);
      const off = row * ROW_STRIDE;
      const start = roundHalfEven(raw[off + 2] * (N_OFFSETS - 1));
      const length = roundHalfEven(raw[off + 4]);
      const end = Math.min(start + length - 1, N_OFFSETS - 1);
      const m = selectProposalRows(raw, off + 5, o.imgW, start, end, this.rowsOut);
      if (m <= 1) {
        dropped.push({ row, score: scores[row], start, length, end, reason: 'fewer than 2 points' });
        continue;
      }
      const { inputPoints, points } = this.rowsToPoints(raw, off, m, o);
      lanes.push({
        row,
        anchor: describeAnchor(row, n),
        score: scores[row],
        startY: raw[off + 2],
        startX: raw[off + 3],
        lengthRaw: raw[off + 4],
        start,
        length,
        end,
        inputPoints,
        points,
      });
    }

    const result: LaneAttResult = { lanes, dropped, nmsKeep, nProposals: n, nAboveConf: count, params: o };
    if (options.proposals) {
      const rows = rankedProposalRows(this.heap, scores, n, candidates, count, {
        proposalConf: options.proposalConf,
        inclusive: false,
        max: options.maxProposals ?? 300,
      });
      result.proposals = this.collectProposals(raw, rows, nmsKeep, o);
    }
    return result;
  }

  private rowsToPoints(raw: Float32Array, off: number, m: number, o: ResolvedLaneAttOptions) {
    const inputPoints = new Array<Point>(m);
    const points = o.origW === null ? inputPoints : new Array<Point>(m);
    for (let j = 0; j < m; j++) {
      const i = this.rowsOut[j];
      const xNorm = Math.fround(raw[off + 5 + i] / o.imgW);
      const yNorm = ROW_YS[i];
      inputPoints[j] = [xNorm * o.imgW, yNorm * o.imgH];
      if (o.origW !== null) points[j] = [xNorm * o.origW, yNorm * o.origH!];
    }
    return { inputPoints, points };
  }

  /** The proposals overlay entries of `rows` (allocates: only on request, for display). */
  private collectProposals(
    raw: Float32Array,
    rows: number[],
    nmsKeep: number[],
    o: ResolvedLaneAttOptions,
  ): Proposal[] {
    const keptSet = new Set(nmsKeep);
    return rows.map((row) => {
      const off = row * ROW_STRIDE;
      const start = roundHalfEven(raw[off + 2] * (N_OFFSETS - 1));
      const end = Math.min(start + roundHalfEven(raw[off + 4]) - 1, N_OFFSETS - 1);
      const m = selectProposalRows(raw, off + 5, o.imgW, start, end, this.rowsOut);
      return { row, score: this.scores[row], points: this.rowsToPoints(raw, off, m, o).points, kept: keptSet.has(row) };
    });
  }
}

const sharedDecoder = new LaneAttDecoder();

/** Decodes one image's raw LaneATT output (`[N, 77]` float32, batch dimension already removed). */
export function decodeLaneAtt(raw: Float32Array, options: LaneAttOptions = {}): LaneAttResult {
  return sharedDecoder.decode(raw, options);
}
