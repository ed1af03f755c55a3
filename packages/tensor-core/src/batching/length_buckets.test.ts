import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random/seeded_random.js';
import { bucketByLength, paddingWaste } from './length_buckets.js';

const rng = new SeededRandom(11);
const lengths = Array.from({ length: 1000 }, () => 1 + rng.nextInt(200));
const everyIndexOnce = (batches: number[][]) => batches.flat().sort((a, b) => a - b);
const all = Array.from({ length: lengths.length }, (_, i) => i);

describe('bucketByLength', () => {
  it('covers every example once and pads far less than random batches', () => {
    const bucketed = bucketByLength(lengths, { batchSize: 32, seed: 1 });
    expect(everyIndexOnce(bucketed)).toEqual(all);
    expect(bucketed.filter((b) => b.length !== 32)).toHaveLength(1);
    const random = bucketByLength(lengths, { batchSize: 32, seed: 1, poolSize: 1 });
    const wasteBucketed = paddingWaste(lengths, bucketed).waste;
    const wasteRandom = paddingWaste(lengths, random).waste;
    expect(wasteRandom).toBeGreaterThan(0.3);
    expect(wasteBucketed).toBeLessThan(0.05);
  });

  it('is reproducible for a seed and reshuffles for another', () => {
    const a = bucketByLength(lengths, { batchSize: 16, seed: 4 });
    expect(bucketByLength(lengths, { batchSize: 16, seed: 4 })).toEqual(a);
    expect(bucketByLength(lengths, { batchSize: 16, seed: 5 })).not.toEqual(a);
  });

  it('without shuffling, sorts by length', () => {
    const batches = bucketByLength(lengths, { batchSize: 100, shuffle: false });
    const flat = batches.flat().map((i) => lengths[i]!);
    expect(flat).toEqual([...flat].sort((x, y) => x - y));
  });

  it('keeps every batch within a token budget', () => {
    const batches = bucketByLength(lengths, { maxTokens: 1000, seed: 2 });
    expect(everyIndexOnce(batches)).toEqual(all);
    for (const b of batches) {
      const max = Math.max(...b.map((i) => lengths[i]!));
      // A single example longer than the budget still gets a batch of its own.
      expect(b.length === 1 || b.length * max <= 1000).toBe(true);
    }
  });

  it('drops the short remainder when asked', () => {
    const batches = bucketByLength(lengths.slice(0, 70), {
      batchSize: 32,
      dropRemainder: true,
      poolSize: Infinity,
    });
    expect(batches.map((b) => b.length)).toEqual([32, 32]);
  });

  it('rejects bad arguments by name', () => {
    expect(() => bucketByLength(lengths, {})).toThrow(/exactly one of batchSize or maxTokens/);
    expect(() => bucketByLength([3, -1], { batchSize: 2 })).toThrow(
      /lengths\[1\] must be a non-negative integer, got -1/,
    );
    expect(() => bucketByLength(lengths, { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
  });
});

describe('paddingWaste', () => {
  it('counts real and padded tokens', () => {
    // batches [3, 1] -> 2 * 3 = 6 padded, 4 real; [2] -> 2 padded, 2 real
    expect(paddingWaste([3, 1, 2], [[0, 1], [2]])).toEqual({ realTokens: 6, paddedTokens: 8, waste: 0.25 });
    expect(() => paddingWaste([1], [[3]])).toThrow(/batch index 3 is outside lengths \(length 1\)/);
  });
});
