import { SeededRandom } from '@rnnkit/tensor-core';

/** Accepts a seed or a generator; a seed makes a fresh generator so the call is reproducible. */
export function toRandom(rngOrSeed: SeededRandom | number): SeededRandom {
  return typeof rngOrSeed === 'number' ? new SeededRandom(rngOrSeed) : rngOrSeed;
}

/** A shuffled copy of `items` (Fisher-Yates with tensor-core's SeededRandom); the input is untouched. */
export function shuffled<T>(items: readonly T[], rngOrSeed: SeededRandom | number): T[] {
  return toRandom(rngOrSeed).shuffle(items.slice());
}

/** A seeded permutation of 0..n-1. */
export function permutation(n: number, rngOrSeed: SeededRandom | number): number[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`permutation: n must be a non-negative integer, got ${n}`);
  }
  return toRandom(rngOrSeed).shuffle(Array.from({ length: n }, (_, i) => i));
}
