/**
 * The one seeded PRNG of the repository (demo assets, pbtxt fuzz test, pbtxt bench). The same seed
 * must give the same sequence on every machine, so it uses only 32-bit integer maths (Math.imul,
 * shifts): no Math.random, nothing platform-dependent.
 */

/** mulberry32: a tiny 32-bit PRNG, good enough for scene parameters and fuzz mutations. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
