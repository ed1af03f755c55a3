import { SeededRandom } from '@rnnkit/tensor-core';

/** Tokens 1..4 mean class 0, tokens 5..8 class 1; 0 pads. Linearly separable after mean pooling. */
export function separableTokens(n: number, time: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new SeededRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng.nextInt(2);
    x.push(Array.from({ length: time }, () => 1 + 4 * label + rng.nextInt(4)));
    y.push(label);
  }
  return { x, y };
}
