import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { useBackend } from '../backends/use_backend.js';
import { availableBackends, describeWithBackends, expectArraysClose } from '../testing/index.js';
import { glorotUniform, orthogonal, randomNormal, randomUniform, computeFans } from './initializers.js';
import { SeededRandom } from './seeded_random.js';

function stats(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    sq += values[i]! * values[i]!;
  }
  const mean = sum / values.length;
  return { mean, variance: sq / values.length - mean * mean };
}

describe('SeededRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 64 }, () => a.nextUint32());
    expect(Array.from({ length: 64 }, () => b.nextUint32())).toEqual(sa);
    const sc = Array.from({ length: 64 }, () => c.nextUint32());
    expect(sc.filter((v, i) => v === sa[i]).length).toBe(0);
  });

  it('continues its stream from getState (spare normal included) and rejects a malformed state', () => {
    const a = new SeededRandom(7);
    a.nextUint32();
    a.nextNormal(); // leaves a spare normal
    const b = new SeededRandom(99);
    b.setState(JSON.parse(JSON.stringify(a.getState())) as number[]);
    const draws = (r: SeededRandom) => [r.nextNormal(), r.nextUint32(), r.nextFloat(), r.nextNormal()];
    expect(draws(b)).toEqual(draws(a));
    expect(() => b.setState([1, 2, 3])).toThrow(
      /SeededRandom.setState: state must be the array getState returned/,
    );
    expect(() => b.setState([0, 0, 0, 0])).toThrow(/not all 0/);
    expect(() => b.setState([1, 2, 3, 2 ** 32])).toThrow(/unsigned 32-bit/);
  });

  it('draws uniform floats in [0, 1) and normals with the right moments', () => {
    const rng = new SeededRandom(1);
    const u = Float64Array.from({ length: 200_000 }, () => rng.nextFloat());
    expect(u.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(u.reduce((a, b) => Math.max(a, b))).toBeLessThan(1);
    const su = stats(u);
    expect(su.mean).toBeCloseTo(0.5, 2);
    expect(su.variance).toBeCloseTo(1 / 12, 3);
    const n = Float64Array.from({ length: 200_000 }, () => rng.nextNormal());
    const sn = stats(n);
    expect(Math.abs(sn.mean)).toBeLessThan(0.01);
    expect(Math.abs(sn.variance - 1)).toBeLessThan(0.01);
  });

  it('draws unbiased integers and shuffles to a permutation', () => {
    const rng = new SeededRandom(9);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.nextInt(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(() => rng.nextInt(0)).toThrow(/n must be an integer in \[1, 2\^32\], got 0/);
    expect(() => new SeededRandom(1.5)).toThrow(/seed must be a safe integer, got 1.5/);
  });
});

describe('initializers', () => {
  it('computes fans like torch.nn.init', () => {
    expect(computeFans([128, 32])).toEqual({ fanIn: 32, fanOut: 128 });
    expect(computeFans([16, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(() => computeFans([5])).toThrow(/at least 2 dimensions/);
  });

  it('bounds glorotUniform by gain * sqrt(6 / (fanIn + fanOut))', () => {
    const w = glorotUniform([64, 32], 3);
    const limit = Math.sqrt(6 / 96);
    const values = w.dataSync();
    expect(Math.max(...values)).toBeLessThanOrEqual(limit);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-limit);
    expect(stats(values).variance).toBeCloseTo(limit ** 2 / 3, 3);
    w.dispose();
  });

  it('makes orthogonal matrices: QᵀQ = I for tall, QQᵀ = I for wide', () => {
    for (const shape of [
      [12, 5],
      [5, 12],
      [8, 8],
    ]) {
      const q = orthogonal(shape, 11, 2);
      const tall = shape[0]! >= shape[1]!;
      const gram = tf.tidy(() => (tall ? tf.matMul(q, q, true, false) : tf.matMul(q, q, false, true)));
      const n = Math.min(shape[0]!, shape[1]!);
      const identity = tf.tidy(() => tf.mul(tf.eye(n), 4));
      expectArraysClose(gram.dataSync(), identity.dataSync(), { atol: 1e-5 });
      tf.dispose([q, gram, identity]);
    }
  });

  it('rejects bad arguments by name', () => {
    expect(() => randomUniform([2, -1], 0, 1, 1)).toThrow(
      /randomUniform: shape must be an array of non-negative integers, got \[2, -1\]/,
    );
    expect(() => randomUniform([2], 1, 0, 1)).toThrow(/randomUniform: high \(0\) must be >= low \(1\)/);
    expect(() => randomNormal([2], 0, -1, 1)).toThrow(/randomNormal: std must be >= 0, got -1/);
  });
});

describeWithBackends('seeded init', () => {
  it('gives the same values as on cpu, bit for bit', async () => {
    const draw = () => {
      const rng = new SeededRandom(2024);
      return [
        glorotUniform([16, 8], rng),
        orthogonal([8, 8], rng),
        randomNormal([5], 0, 2, rng),
        randomUniform([7], -1, 1, rng),
      ];
    };
    const read = async (tensors: tf.Tensor[]) => {
      const values = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
      tf.dispose(tensors);
      return values;
    };
    const drawn = draw();
    const here = await read(drawn.map((t) => tf.add(t, 0))); // computed on this backend, then read back
    tf.dispose(drawn);
    const previous = tf.getBackend();
    await useBackend('cpu');
    const onCpu = await read(draw());
    await useBackend(previous);
    expect(here).toEqual(onCpu);
    expect(availableBackends()).toContain(previous);
  });
});
