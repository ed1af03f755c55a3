import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { meanLoss } from './mean_loss.js';

describeWithBackends('meanLoss', () => {
  it('is tf.mean, value and gradient, with nothing left behind', async () => {
    const x = tf.tensor2d([
      [0.5, 2],
      [-1, 4],
      [3, 0.25],
    ]);
    const weights = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const before = tf.memory().numTensors;
    const f = (mean: (v: tf.Tensor) => tf.Scalar) =>
      tf.valueAndGrad((v: tf.Tensor) => tf.mul(mean(tf.mul(v, weights)), 3) as tf.Scalar)(x);
    const ours = f(meanLoss);
    const theirs = f((v) => tf.mean(v));
    expectArraysClose(await ours.value.data(), await theirs.value.data(), { atol: 1e-6 });
    expectArraysClose(await ours.grad.data(), await theirs.grad.data(), { atol: 1e-7 });
    expectArraysClose(await ours.grad.data(), [0.5, 1, 1.5, 2, 2.5, 3], { atol: 1e-7 });
    tf.dispose([ours.value, ours.grad, theirs.value, theirs.grad]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, weights]);
  });
});
