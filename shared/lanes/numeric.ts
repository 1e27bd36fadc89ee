/**
 * Number helpers that reproduce the rounding of the Python/CUDA reference code exactly.
 * JavaScript has only doubles, so float32 arithmetic is mirrored with Math.fround after each
 * step, and Python's round() (half to even) is written out because Math.round rounds half up.
 */

/** Python `round(v)` / `torch.round`: nearest integer, ties to the even neighbour. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // Math.round sends x.5 up; for an exact tie whose upper neighbour is odd, step back down.
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * float32 `1 / (1 + exp(a - b))`, i.e. column 1 of a 2-way softmax, computed the way numpy does
 * it on float32 arrays (each operation rounded to float32).
 */
export function softmax2Second(a: number, b: number): number {
  const f32 = Math.fround;
  return f32(1 / f32(1 + f32(Math.exp(f32(a - b)))));
}
