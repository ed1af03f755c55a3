import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import {
  binaryCrossentropy,
  binaryCrossentropyReference,
  categoricalCrossentropy,
  meanSquaredError,
  resolveLoss,
  sparseCategoricalCrossentropy,
} from './losses.js';
import { binaryAccuracy, sparseCategoricalAccuracy } from './metrics.js';
import { reference } from './__fixtures__/keras_reference.js';

const ref = reference.losses;

describeWithBackends('Keras losses', () => {
  it('binary_crossentropy clips probabilities like Keras (0 and 1 give finite losses)', async () => {
    const y = tf.tensor(ref.bce.y, ref.bce.shape);
    const p = tf.tensor(ref.bce.p, ref.bce.shape);
    const loss = binaryCrossentropy(y, p);
    expect(loss.shape).toEqual([6]);
    expectArraysClose(await loss.data(), ref.bce.loss, { atol: 1e-4, rtol: 1e-5 });
    tf.dispose([y, p, loss]);
  });

  it('binary_crossentropy (fused on webgpu) and its gradient equal the composition of tfjs-core ops', async () => {
    // Inside, at and beyond the clip bounds; two columns, so the mean over the last axis counts.
    const p = tf.tensor2d([
      [0.3, 0.9],
      [0, 1],
      [1e-8, 0.99999999],
      [0.5, 1e-7],
      [0.2, 0.7],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    const weights = tf.tensor1d([1, -2, 3, 0.5, 1]);
    const lossAndGrad = (f: typeof binaryCrossentropy) =>
      tf.valueAndGrad((q: tf.Tensor) => tf.sum(tf.mul(f(y, q), weights)) as tf.Scalar)(p);
    const fused = lossAndGrad(binaryCrossentropy);
    const reference = lossAndGrad(binaryCrossentropyReference);
    expectArraysClose(await fused.value.data(), await reference.value.data(), { atol: 1e-5, rtol: 1e-6 });
    expectArraysClose(await fused.grad.data(), await reference.grad.data(), { atol: 1e-4, rtol: 1e-5 });
    const perRow = binaryCrossentropy(y, p);
    expect(perRow.shape).toEqual([5]);
    tf.dispose([p, y, weights, fused.value, fused.grad, reference.value, reference.grad, perRow]);
  });

  it('categorical and sparse categorical cross-entropy agree with the reference', async () => {
    const y = tf.tensor(ref.cce.y, ref.cce.shape);
    const p = tf.tensor(ref.cce.p, ref.cce.shape);
    const ids = tf.tensor1d(ref.cce.ids, 'int32');
    const dense = categoricalCrossentropy(y, p);
    const sparse = sparseCategoricalCrossentropy(ids, p);
    expectArraysClose(await dense.data(), ref.cce.loss);
    expectArraysClose(await sparse.data(), ref.cce.loss);
    const acc = sparseCategoricalAccuracy(ids, p);
    expect((await acc.data()).length).toBe(3);
    tf.dispose([y, p, ids, dense, sparse, acc]);
  });

  it('mse and binary accuracy', async () => {
    const y = tf.tensor(ref.mse.y, ref.mse.shape);
    const p = tf.tensor(ref.mse.p, ref.mse.shape);
    const loss = meanSquaredError(y, p);
    expectArraysClose(await loss.data(), ref.mse.loss);
    const acc = binaryAccuracy(tf.tensor2d([[1], [0], [1]]), tf.tensor2d([[0.7], [0.6], [0.4]]));
    expect(Array.from(await acc.data())).toEqual([1, 0, 0]);
    tf.dispose([y, p, loss, acc]);
  });
});

it('resolveLoss names the bad loss', () => {
  expect(() => resolveLoss('hinge' as never)).toThrow(
    /loss must be one of binary_crossentropy, .* got "hinge"/,
  );
});
