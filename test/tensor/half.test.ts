import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bf16BitsFromFloat32Bits,
  bf16ToFloat32,
  float32Bits,
  float32BitsFromFp16Bits,
  float32FromBits,
  float32ToBf16,
  float32ToFp16,
  fp16BitsFromFloat32Bits,
  fp16DecodeTable,
  fp16ToFloat32,
} from '../../shared/tensor/half';

/** Independent FP16 value formula (exact in double). */
function halfValue(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  if (e === 0) return s * m * 2 ** -24;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

// The 31744 non-negative finite halves in increasing order (0x0000..0x7bff is monotonic).
const POS_HALVES = Array.from({ length: 0x7c00 }, (_, h) => halfValue(h));

/**
 * Oracle: nearest half by comparing with exact midpoints (midpoints of adjacent halves need 12
 * significant bits, so they and the comparisons are exact in double). Ties go to the even pattern.
 */
function oracleHalf(x: number): number {
  if (Number.isNaN(x)) return -1;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  const max = POS_HALVES[0x7bff];
  const overflowMid = max + 2 ** (15 - 10) / 2; // midpoint between 65504 and the next (65536)
  if (a >= overflowMid) return sign | 0x7c00; // ties at 65520 go to even = infinity
  let lo = 0,
    hi = 0x7bff; // find largest h with POS_HALVES[h] <= a
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (POS_HALVES[mid] <= a) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0x7bff) return sign | lo;
  const m = (POS_HALVES[lo] + POS_HALVES[lo + 1]) / 2;
  if (a < m) return sign | lo;
  if (a > m) return sign | (lo + 1);
  return sign | (lo % 2 === 0 ? lo : lo + 1);
}

test('every FP16 bit pattern decodes to the exact value and re-encodes to itself', () => {
  const table = fp16DecodeTable();
  for (let h = 0; h < 65536; h++) {
    const expected = halfValue(h);
    const got = fp16ToFloat32(h);
    if (Number.isNaN(expected)) {
      assert.ok(Number.isNaN(got) && Number.isNaN(table[h]), `0x${h.toString(16)} should be NaN`);
      const back = float32ToFp16(got);
      assert.equal(back & 0x7c00, 0x7c00);
      assert.notEqual(back & 0x3ff, 0, `NaN 0x${h.toString(16)} must stay NaN`);
      // Payload and sign survive (quiet bit forced).
      assert.equal(fp16BitsFromFloat32Bits(float32BitsFromFp16Bits(h)), h | 0x0200);
      continue;
    }
    assert.ok(Object.is(got, expected), `0x${h.toString(16)}: ${got} != ${expected}`);
    assert.ok(Object.is(table[h], expected));
    assert.equal(float32ToFp16(got), h, `round trip of 0x${h.toString(16)}`);
  }
});

test('FP16 rounding matches the nearest-even oracle at every midpoint and its neighbours', () => {
  let checked = 0;
  for (let h = 0; h < 0x7bff; h++) {
    const mid = (POS_HALVES[h] + POS_HALVES[h + 1]) / 2;
    const midBits = float32Bits(mid);
    assert.equal(float32FromBits(midBits), mid, 'midpoints are float32-representable');
    for (const bits of [midBits - 1, midBits, midBits + 1]) {
      const x = float32FromBits(bits);
      assert.equal(float32ToFp16(x), oracleHalf(x), `x=${x} (0x${bits.toString(16)})`);
      assert.equal(float32ToFp16(-x), oracleHalf(-x), `x=${-x}`);
      checked += 2;
    }
  }
  assert.ok(checked > 190000);
});

test('FP16 rounding matches the oracle for 300k random float32 bit patterns', () => {
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < 300000; i++) {
    const bits = rnd();
    const x = float32FromBits(bits);
    const got = fp16BitsFromFloat32Bits(bits);
    if (Number.isNaN(x)) {
      assert.ok(Number.isNaN(fp16ToFloat32(got)));
      continue;
    }
    assert.equal(got, oracleHalf(x), `0x${bits.toString(16)} (${x})`);
  }
});

test('FP16 edge values: max, overflow, ties, subnormal boundaries, signed zero, inf', () => {
  assert.equal(float32ToFp16(65504), 0x7bff);
  assert.equal(float32ToFp16(65519.99), 0x7bff); // below the midpoint
  assert.equal(float32ToFp16(65520), 0x7c00); // exact tie -> even -> inf
  assert.equal(float32ToFp16(1e6), 0x7c00);
  assert.equal(float32ToFp16(-1e6), 0xfc00);
  assert.equal(float32ToFp16(Infinity), 0x7c00);
  assert.equal(float32ToFp16(-Infinity), 0xfc00);
  assert.equal(float32ToFp16(1), 0x3c00);
  assert.equal(float32ToFp16(1 / 3), 0x3555);
  assert.equal(float32ToFp16(1 + 2 ** -11), 0x3c00); // tie between 0x3c00 and 0x3c01 -> even
  assert.equal(float32ToFp16(1 + 3 * 2 ** -11), 0x3c02); // tie between 0x3c01 and 0x3c02 -> even
  assert.equal(float32ToFp16(2 ** -14), 0x0400); // smallest normal
  assert.equal(float32ToFp16(2 ** -14 - 2 ** -25), 0x0400); // tie between 0x03ff and 0x0400 -> even
  assert.equal(float32ToFp16(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(float32ToFp16(2 ** -25), 0x0000); // tie -> even (zero)
  assert.equal(float32ToFp16(2 ** -25 * (1 + 2 ** -23)), 0x0001); // just above the tie
  assert.equal(float32ToFp16(3 * 2 ** -25), 0x0002); // tie between 1 and 2 -> even
  assert.equal(float32ToFp16(1e-45), 0x0000); // float32 subnormal
  assert.equal(float32ToFp16(-0), 0x8000);
  assert.equal(float32ToFp16(0), 0x0000);
  assert.equal(float32ToFp16(-(2 ** -24)), 0x8001);
  assert.ok(Object.is(fp16ToFloat32(0x8000), -0));
  assert.equal(fp16ToFloat32(0x0001), 2 ** -24);
  assert.equal(fp16ToFloat32(0x7bff), 65504);
});

/** BF16 oracle: nearest of the two bf16 neighbours by exact midpoint comparison. */
function oracleBf16(bits: number): number {
  const x = float32FromBits(bits);
  const lo = bits >>> 16;
  const hiB = lo + 1;
  const a = float32FromBits(lo << 16);
  const b = float32FromBits((hiB & 0xffff) << 16);
  if ((bits & 0xffff) === 0) return lo;
  // Midpoint in magnitude; |x| lies between |a| and |b| (b may be inf: then the midpoint is 2^128 * (1 - 2^-9)).
  const mag = (v: number) => Math.abs(v);
  const mid = Number.isFinite(b) ? (mag(a) + mag(b)) / 2 : mag(a) + 2 ** (127 - 7) / 2;
  if (mag(x) < mid) return lo;
  if (mag(x) > mid) return hiB & 0xffff;
  return lo % 2 === 0 ? lo : hiB & 0xffff;
}

test('BF16 rounding (nearest even) matches the oracle; truncation drops the low half', () => {
  let seed = 987;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const cases = [
    0x3f808000, 0x3f818000, 0x3f80ffff, 0x7f7fffff, 0x7f7f8000, 0x7f7effff, 0xff7fffff, 0x00008000, 0x00018000,
    0x80000000,
  ];
  for (let i = 0; i < 200000; i++) cases.push(rnd());
  for (const bits of cases) {
    const x = float32FromBits(bits);
    if (Number.isNaN(x)) {
      assert.ok(Number.isNaN(bf16ToFloat32(bf16BitsFromFloat32Bits(bits))), `NaN 0x${bits.toString(16)} must stay NaN`);
      continue;
    }
    assert.equal(bf16BitsFromFloat32Bits(bits), oracleBf16(bits), `0x${bits.toString(16)}`);
    assert.equal(bf16BitsFromFloat32Bits(bits, 'truncate'), bits >>> 16);
  }
  assert.equal(float32ToBf16(1.00390625), 0x3f80); // tie -> even
  assert.equal(float32ToBf16(1.01171875), 0x3f82); // tie -> even (up)
  assert.equal(float32ToBf16(1.01171875, 'truncate'), 0x3f81);
  assert.equal(bf16BitsFromFloat32Bits(0x7f7fffff), 0x7f80); // overflow to inf
  assert.equal(bf16BitsFromFloat32Bits(0x7f800001), 0x7fc0); // NaN with payload only in the low half stays NaN
  assert.equal(bf16ToFloat32(0x3f80), 1);
  assert.ok(Object.is(bf16ToFloat32(0x8000), -0));
  for (let b = 0; b < 65536; b++) {
    const v = bf16ToFloat32(b);
    if (!Number.isNaN(v)) assert.equal(float32ToBf16(v), b, `bf16 0x${b.toString(16)} round trip`);
  }
});
