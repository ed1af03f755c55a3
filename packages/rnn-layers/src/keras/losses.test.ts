import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError, resolveLoss, sparseCategoricalCrossentropy } from './losses.js';
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
  expect(() => resolveLoss('hinge' as never)).toThrow(/loss must be one of binary_crossentropy, .* got "hinge"/);
});
