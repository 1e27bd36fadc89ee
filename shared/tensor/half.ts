/**
 * IEEE-754 binary16 (FP16) and bfloat16 (BF16) conversion from/to binary32, bit-exact.
 * Float32 -> FP16/BF16 rounds to nearest, ties to even (what numpy's astype(float16) and
 * PyTorch do), overflows to ±inf, produces subnormals, keeps the sign of zero and keeps NaN a NaN
 * (quiet, with the top payload bits). BF16 additionally offers truncation, the behaviour of
 * tritonclient (which drops the low 16 bits of the float32 pattern).
 *
 * Inputs are JS numbers; they are first rounded to float32 (Math.fround semantics via a
 * Float32Array), so a value converts exactly as the same value stored in a Float32Array would.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 bit pattern of x (after rounding x to float32). */
export function float32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** The float32 value with the given bit pattern. */
export function float32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}

/** Float32 bit pattern -> FP16 bit pattern, round to nearest even. */
export function fp16BitsFromFloat32Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) {
    // Inf stays inf; NaN keeps its top payload bits and is forced quiet so it cannot become inf.
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }
  const e = exp - 127 + 15; // re-biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // too large: overflow to inf
  if (e <= 0) {
    // Result is subnormal (or zero): value / 2^-24, rounded. Below half the smallest subnormal -> ±0.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half; // a carry into bit 10 correctly yields the smallest normal
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++; // carry may reach inf: correct
  return sign | half;
}

/** FP16 bit pattern -> float32 bit pattern (exact; NaN payload preserved). */
export function float32BitsFromFp16Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp === 0) {
    if (mant === 0) return sign >>> 0;
    // Subnormal half: normalise into a float32 normal.
    let e = -14;
    while ((mant & 0x400) === 0) {
      mant <<= 1;
      e--;
    }
    mant &= 0x3ff;
    return (sign | ((e + 127) << 23) | (mant << 13)) >>> 0;
  }
  return (sign | ((exp - 15 + 127) << 23) | (mant << 13)) >>> 0;
}

export function float32ToFp16(x: number): number {
  return fp16BitsFromFloat32Bits(float32Bits(x));
}

export function fp16ToFloat32(h: number): number {
  return float32FromBits(float32BitsFromFp16Bits(h));
}

/** How float32 values become bfloat16: IEEE rounding, or tritonclient's truncation. */
export type Bf16Mode = 'round' | 'truncate';

export function bf16BitsFromFloat32Bits(bits: number, mode: Bf16Mode = 'round'): number {
  if (mode === 'truncate') return bits >>> 16;
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
    return (bits >>> 16) | 0x40; // NaN: keep it NaN even if the payload sat in the dropped half
  }
  // Round to nearest even on the dropped 16 bits; a carry may overflow to inf, which is correct.
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

export function float32ToBf16(x: number, mode: Bf16Mode = 'round'): number {
  return bf16BitsFromFloat32Bits(float32Bits(x), mode);
}

export function bf16ToFloat32(b: number): number {
  return float32FromBits((b & 0xffff) << 16);
}

let fp16Table: Float32Array | undefined;

/** All 65536 FP16 values as float32, built once (256 KiB) so array decoding is a table lookup. */
export function fp16DecodeTable(): Float32Array {
  if (!fp16Table) {
    const bits = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) bits[h] = float32BitsFromFp16Bits(h);
    fp16Table = new Float32Array(bits.buffer);
  }
  return fp16Table;
}
