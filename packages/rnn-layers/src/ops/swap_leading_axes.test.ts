import * as tf from '@tensorflow/tfjs-core';
import { randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { swapLeadingAxes } from './swap_leading_axes.js';

describeWithBackends('swapLeadingAxes', () => {
  it('is tf.transpose(x, [1, 0, 2]), value and gradient', async () => {
    const x = randomUniform([7, 5, 3], -1, 1, 1);
    const w = randomUniform([5, 7, 3], -1, 1, 2);
    const before = tf.memory().numTensors;
    const f = (swap: (v: tf.Tensor) => tf.Tensor) =>
      tf.valueAndGrad((v: tf.Tensor) => tf.sum(tf.mul(swap(v), w)) as tf.Scalar)(x);
    const ours = f(swapLeadingAxes);
    const theirs = f((v) => tf.transpose(v, [1, 0, 2]));
    const swapped = swapLeadingAxes(x);
    const expected = tf.transpose(x, [1, 0, 2]);
    expect(swapped.shape).toEqual([5, 7, 3]);
    expect(Array.from(await swapped.data())).toEqual(Array.from(await expected.data()));
    expect(Array.from(await ours.grad.data())).toEqual(Array.from(await theirs.grad.data()));
    tf.dispose([ours.value, ours.grad, theirs.value, theirs.grad, swapped, expected]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});
