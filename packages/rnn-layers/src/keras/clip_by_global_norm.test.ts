import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { clipByGlobalNorm } from './clip_by_global_norm.js';
import { reference } from './__fixtures__/keras_reference.js';

describeWithBackends('clipByGlobalNorm', () => {
  // Without this an emptied fixture would make the loop below run nothing and pass.
  it('has the 2 clip cases tools/fixtures/rnn_layers_keras.py writes (maxNorm 0.5 and 100)', () => {
    expect(reference.clip).toHaveLength(2);
  });

  for (const c of reference.clip) {
    it(`matches torch.nn.utils.clip_grad_norm_ with maxNorm ${c.max_norm}`, async () => {
      const grads = c.grads.map((g: number[], i: number) => tf.tensor(g, c.shapes[i]));
      const { grads: clipped, globalNorm } = clipByGlobalNorm(grads, c.max_norm);
      expectArraysClose(await globalNorm.data(), c.norm);
      for (const [i, g] of clipped.entries()) {
        expect(g.shape).toEqual(c.shapes[i]);
        expectArraysClose(await g.data(), c.clipped[i]);
      }
      // the map form keeps the names
      const named = clipByGlobalNorm({ a: grads[0], b: grads[1], c: grads[2] }, c.max_norm);
      expectArraysClose(await named.grads.b!.data(), c.clipped[1]);
      tf.dispose([grads, clipped, globalNorm, named.grads, named.globalNorm]);
    });
  }

  it('leaves zero gradients at zero (no 0/0)', async () => {
    const g = tf.zeros([3]);
    const { grads, globalNorm } = clipByGlobalNorm([g], 1);
    expect(Array.from(await grads[0]!.data())).toEqual([0, 0, 0]);
    tf.dispose([g, grads, globalNorm]);
  });
});

it('clipByGlobalNorm names bad arguments', () => {
  const g = tf.ones([2]);
  expect(() => clipByGlobalNorm([g], 0)).toThrow(/maxNorm must be a positive finite number, got 0/);
  expect(() => clipByGlobalNorm([g, 3 as never], 1)).toThrow(/grads\[1\] is not a Tensor/);
  expect(() => clipByGlobalNorm({ w: 'x' as never }, 1)).toThrow(/grads\["w"\] is not a Tensor/);
  expect(() => clipByGlobalNorm([], 1)).toThrow(/grads is empty/);
  g.dispose();
});
