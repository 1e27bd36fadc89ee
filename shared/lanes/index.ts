/** Public API of the lane package: decoders, registry, ground-truth readers and metrics. */
export * from './types';
export * from './errors';
export { decodeLaneAtt, LaneAttDecoder, laneAttRowCount, LANEATT_DEFAULTS } from './laneatt';
export type { LaneAttOptions, LaneAttResult, ResolvedLaneAttOptions } from './laneatt';
export { laneAttReport } from './laneattReport';
export type { LaneAttReportOptions } from './laneattReport';
export { describeAnchor, FULL_ANCHOR_COUNT } from './laneattAnchors';
export * from './ufld';
export * from './clrnet';
export * from './registry';
export * from './tusimple';
export * from './tusimpleMetric';
export * from './culane';
export * from './culaneMetric';
export { rasterizeLane, maskIou, splineInterpTimes } from './laneMask';
export type { LaneMask, MaskOptions } from './laneMask';
export { maxWeightAssignment } from './hungarian';
export { interpolatingSpline } from './spline';
