/**
 * Image resizing for model inputs (pure: no Node, no DOM). Interleaved 8-bit, 3 channels.
 */

/**
 * Bilinear resize of 3-channel interleaved pixels with half-pixel centres, no antialiasing: OpenCV's INTER_LINEAR, which LaneATT's
 * preprocessing uses (sharp's kernels all filter on reduction, so they would not match training).
 */
export function resizeBilinear(
  src: Uint8Array | Uint8ClampedArray,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
): Uint8Array {
  const out = new Uint8Array(dw * dh * 3);
  const fx = sw / dw;
  const fy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const sy = Math.min(Math.max((y + 0.5) * fy - 0.5, 0), sh - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = sy - y0;
    for (let x = 0; x < dw; x++) {
      const sx = Math.min(Math.max((x + 0.5) * fx - 0.5, 0), sw - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src[(y0 * sw + x0) * 3 + c] * (1 - wx) + src[(y0 * sw + x1) * 3 + c] * wx;
        const b = src[(y1 * sw + x0) * 3 + c] * (1 - wx) + src[(y1 * sw + x1) * 3 + c] * wx;
        out[(y * dw + x) * 3 + c] = Math.round(a * (1 - wy) + b * wy);
      }
    }
  }
  return out;
}
