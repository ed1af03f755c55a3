// The dropout mask as a counter-based hash: element i of a call with key k is kept when
// hash(hash(k) + i) / 2^32 >= rate, to 24 bits. The same u32 arithmetic in JS and WGSL gives the same
// mask on every backend, and on the GPU the mask is never stored or uploaded: the gradient recomputes
// it. The hash is PCG's RXS-M-XS output permutation applied to one LCG step (Jarzynski & Olano,
// "Hash Functions for GPU Rendering", 2020).

/** PCG hash of a u32, in JS. */
export function pcgHash(v: number): number {
  const state = (Math.imul(v, 747796405) + 2891336453) >>> 0;
  const word = Math.imul((state >>> ((state >>> 28) + 4)) ^ state, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The same in WGSL. */
export const PCG_HASH_WGSL = /* wgsl */ `
fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}`;

/** Elements whose top 24 hash bits fall below this are dropped: `rate` of them, to 2^-24. */
export function dropThreshold(rate: number): number {
  return Math.round(rate * 2 ** 24);
}

/** Inverted dropout's scale for the kept elements, 1 / (1 − rate), in float32 as both sides use it. */
export function keepScale(rate: number): number {
  return Math.fround(1 / (1 - rate));
}

/** The mask of `size` elements for `key` on the host: 0 or keepScale(rate). */
export function dropoutMask(size: number, rate: number, key: number): Float32Array {
  const mask = new Float32Array(size);
  const threshold = dropThreshold(rate);
  const scale = keepScale(rate);
  const base = pcgHash(key >>> 0);
  for (let i = 0; i < size; i++) mask[i] = pcgHash((base + i) >>> 0) >>> 8 >= threshold ? scale : 0;
  return mask;
}
