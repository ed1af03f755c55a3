import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { seededDropout } from './dropout.js';
import { dropoutMask, keepScale, pcgHash } from './dropout_hash.js';

describe('dropout hash', () => {
  it("is PCG's hash (values from an independent Python implementation)", () => {
    expect([0, 1, 2, 0xffffffff, 123456789].map(pcgHash)).toEqual([
      129708002, 2831084092, 2055130248, 3861530882, 4272394698,
    ]);
  });

  it('drops about `rate` of the elements, differently for each key', () => {
    const a = dropoutMask(200_000, 0.3, 1);
    const b = dropoutMask(200_000, 0.3, 2);
    const dropped = (m: Float32Array) => m.filter((v) => v === 0).length / m.length;
    expect(Math.abs(dropped(a) - 0.3)).toBeLessThan(0.005);
    expect(Math.abs(dropped(b) - 0.3)).toBeLessThan(0.005);
    expect(a.every((v) => v === 0 || v === keepScale(0.3))).toBe(true);
    const same = a.filter((v, i) => v === b[i]).length / a.length;
    expect(same).toBeLessThan(0.6); // independent masks agree on 0.3² + 0.7² = 58%
  });
});

describeWithBackends('seededDropout', () => {
  it("applies the key's mask, forward and backward, the same as the host mask", async () => {
    const shape = [5, 7, 33];
    const size = 5 * 7 * 33; // above tfjs-backend-webgpu's CPU hand-off size
    const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
    const w = tf.randomUniform(shape, -1, 1, 'float32', 2);
    const mask = dropoutMask(size, 0.25, 77);
    const before = tf.memory().numTensors;
    const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => tf.sum(tf.mul(seededDropout(v, 0.25, 77), w)))(
      x,
    );
    const out = seededDropout(x, 0.25, 77);
    const [xs, ws] = [await x.data(), await w.data()];
    expectArraysClose(
      await out.data(),
      Array.from(xs, (v, i) => Math.fround(v * mask[i]!)),
      { atol: 0 },
    );
    expectArraysClose(
      await grad.data(),
      Array.from(ws, (v, i) => Math.fround(v * mask[i]!)),
      { atol: 0 },
    );
    expect(Number((await value.data())[0])).toBeCloseTo(
      Array.from(xs).reduce((s, v, i) => s + v * mask[i]! * ws[i]!, 0),
      3,
    );
    tf.dispose([value, grad, out]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => seededDropout(x, 1, 0)).toThrow(/seededDropout: rate must be in \[0, 1\), got 1/);
    tf.dispose([x, w]);
  });
});
