import * as tf from '@tensorflow/tfjs-core';
import { randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { registerRnnLayersKernels } from './register_rnn_layers_kernels.js';
import { denseMatMul } from './dense_mat_mul.js';
import { DENSE_LINEAR, DENSE_MAT_MUL } from './kernel_names.js';
import { registerRecurrenceGradients } from './register_recurrence_gradients.js';

describeWithBackends('denseMatMul', (backend) => {
  it('matches tf.matMul, value and gradients, for every transpose combination', async () => {
    registerRnnLayersKernels();
    registerRecurrenceGradients();
    expect(tf.getKernel(DENSE_MAT_MUL, 'cpu')).toBeDefined();
    expect(tf.getKernel(DENSE_MAT_MUL, 'wasm')).toBeDefined();
    expect(tf.getKernel(DENSE_LINEAR, 'cpu')).toBeDefined();
    // Odd sizes exercise the remainder paths of the 2 x 4 blocked loop.
    const [m, k, n] = [7, 5, 3];
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const a = randomUniform(tA ? [k, m] : [m, k], -1, 1, 1);
      const b = randomUniform(tB ? [n, k] : [k, n], -1, 1, 2);
      const w = randomUniform([m, n], -1, 1, 3);
      const loss = (mm: typeof tf.matMul) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(mm(x, y, tA, tB), w)) as tf.Scalar;
      const ours = tf.grads(loss(denseMatMul as typeof tf.matMul))([a, b]);
      const theirs = tf.grads(loss(tf.matMul))([a, b]);
      const value = denseMatMul(a, b, tA, tB);
      const expected = tf.matMul(a, b, tA, tB);
      expect(value.shape).toEqual([m, n]);
      expectArraysClose(await value.data(), await expected.data(), { atol: 1e-5 });
      for (let i = 0; i < 2; i++)
        expectArraysClose(await ours[i]!.data(), await theirs[i]!.data(), { atol: 1e-5 });
      tf.dispose([a, b, w, ...ours, ...theirs, value, expected]);
    }
    // With a bias added to every row, and its gradient (column sums).
    const a = randomUniform([m, k], -1, 1, 4);
    const b = randomUniform([n, k], -1, 1, 5);
    const bias = randomUniform([n], -1, 1, 6);
    const w = randomUniform([m, n], -1, 1, 7);
    const ours = tf.grads(
      (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(denseMatMul(x, y, false, true, c), w)) as tf.Scalar,
    )([a, b, bias]);
    const theirs = tf.grads(
      (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(tf.add(tf.matMul(x, y, false, true), c), w)) as tf.Scalar,
    )([a, b, bias]);
    const value = denseMatMul(a, b, false, true, bias);
    const expected = tf.add(tf.matMul(a, b, false, true), bias);
    expectArraysClose(await value.data(), await expected.data(), { atol: 1e-5 });
    for (let i = 0; i < 3; i++)
      expectArraysClose(await ours[i]!.data(), await theirs[i]!.data(), { atol: 1e-5 });
    tf.dispose([a, b, bias, w, ...ours, ...theirs, value, expected]);
    void backend;
  });
});
