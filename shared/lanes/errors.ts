/** Bad decoder input (wrong tensor size, impossible option): one clear line naming what is wrong. */
export class LaneDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaneDecodeError';
  }
}

/** Malformed ground-truth or prediction text; `line` is 1-based when known. */
export class LaneLabelError extends Error {
  constructor(
    message: string,
    readonly source?: string,
    readonly line?: number,
  ) {
    super(`${source ?? 'labels'}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'LaneLabelError';
  }
}
