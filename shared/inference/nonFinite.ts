/**
 * NaN and ±Infinity in a model output. An FP16 output overflows to Infinity past ±65504, and a NaN
 * is never suppressed by LaneATT's NMS (every comparison with it is false, in the CUDA kernel as in
 * ours), so lanes decoded from such an output are not to be trusted. The inspector says so instead
 * of drawing them as if nothing happened.
 */
export interface NonFiniteCount {
  nan: number;
  infinite: number;
  /** Elements looked at. */
  of: number;
}

export function countNonFinite(values: ArrayLike<number>): NonFiniteCount {
  let nan = 0;
  let infinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // One subtraction sorts out the finite values (v - v is 0 only for them).
    if (v - v !== 0) {
      if (v !== v) nan++;
      else infinite++;
    }
  }
  return { nan, infinite, of: values.length };
}

/** One line for a person: "12 NaN and 3 ±Infinity among 214,368 values of 'predict_lanes'". */
export function describeNonFinite(output: string, c: NonFiniteCount): string {
  const parts = [
    c.nan ? `${c.nan.toLocaleString('en-US')} NaN` : '',
    c.infinite ? `${c.infinite.toLocaleString('en-US')} ±Infinity` : '',
  ];
  return `${parts.filter(Boolean).join(' and ')} among ${c.of.toLocaleString('en-US')} values of '${output}'`;
}
