/**
 * The JSON document `tritonscope decode laneatt --json` prints: the same shape as the reference
 * vectors in ../shared/lanes/vectors/*.json (snake_case keys, points in input pixels plus
 * `points_orig`), so a decode can be diffed against the Python reference directly.
 */
import type { LaneAttResult } from './laneatt';
import { lanePointsToTusimple, TUSIMPLE_H, TUSIMPLE_W } from './tusimple';
import type { Point } from './types';

export interface LaneAttReportOptions {
  /** Add `h_samples` and each lane's `tusimple_xs` (sampled on the original frame, default 1280x720). */
  hSamples?: readonly number[];
}

export function laneAttReport(result: LaneAttResult, options: LaneAttReportOptions = {}) {
  const p = result.params;
  const hasOrig = p.origW !== null && p.origH !== null;
  const tsW = p.origW ?? TUSIMPLE_W;
  const tsH = p.origH ?? TUSIMPLE_H;
  const report: Record<string, unknown> = {
    model: 'laneatt',
    params: {
      conf: p.conf,
      nms: p.nms,
      topk: p.topk,
      img_w: p.imgW,
      img_h: p.imgH,
      orig_w: p.origW,
      orig_h: p.origH,
      scores_are_probs: p.scoresAreProbs,
    },
    n_proposals: result.nProposals,
    n_above_conf: result.nAboveConf,
    nms_keep: result.nmsKeep,
    lanes: result.lanes.map((l) => {
      const lane: Record<string, unknown> = {
        row: l.row,
        anchor: l.anchor,
        score: l.score,
        start_y: l.startY,
        start_x: l.startX,
        length_raw: l.lengthRaw,
        start: l.start,
        length: l.length,
        end: l.end,
        n_points: l.points.length,
        points: l.inputPoints,
        points_orig: hasOrig ? l.points : null,
      };
      if (options.hSamples) {
        // Sample on the frame the h_samples refer to: the original size, or TuSimple's 1280x720.
        const framePoints: Point[] = hasOrig
          ? l.points
          : l.inputPoints.map(([x, y]) => [(x / p.imgW) * tsW, (y / p.imgH) * tsH]);
        lane.tusimple_xs = lanePointsToTusimple(framePoints, options.hSamples, tsW, tsH);
      }
      return lane;
    }),
    dropped: result.dropped,
  };
  if (options.hSamples) report.h_samples = [...options.hSamples];
  return report;
}
