import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';

describeWithBackends('GlobalAveragePooling1D', () => {
  it('averages all steps, or only the unmasked ones (an all-padding row gives 0)', async () => {
    const pool = new GlobalAveragePooling1D();
    const x = tf.tensor3d([
      [
        [1, 10],
        [2, 20],
        [3, 30],
      ],
      [
        [4, 40],
        [5, 50],
        [6, 60],
      ],
      [
        [7, 70],
        [8, 80],
        [9, 90],
      ],
    ]);
    const plain = pool.apply(x);
    expectArraysClose(await plain.data(), [2, 20, 5, 50, 8, 80]);
    // repeated calls: tfjs-webgpu has miscompiled a later call of a bool-derived mask before
    for (let i = 0; i < 3; i++) {
      const mask = tf.tensor2d(
        [
          [1, 1, 0],
          [1, 0, 0],
          [0, 0, 0],
        ],
        undefined,
        'bool',
      );
      const masked = pool.apply(x, { mask });
      expectArraysClose(await masked.data(), [1.5, 15, 4, 40, 0, 0]);
      tf.dispose([mask, masked]);
    }
    tf.dispose([x, plain]);
  });

  it('takes its mask from Embedding({maskZero: true}) and is differentiable through it', async () => {
    const emb = new Embedding({ inputDim: 5, outputDim: 2, seed: 1, maskZero: true });
    const pool = new GlobalAveragePooling1D();
    const ids = tf.tensor2d(
      [
        [1, 2, 0, 0],
        [3, 0, 0, 0],
      ],
      undefined,
      'int32',
    );
    const table = emb.namedWeights().length
      ? emb.namedWeights()[0]![1]
      : (emb.build([null, 4]), emb.namedWeights()[0]![1]);
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => {
        const mask = emb.computeMask(ids, null)!;
        return tf.sum(pool.apply(emb.apply(ids), { mask })) as tf.Scalar;
      }, [table]);
      // d/dtable of sum(mean over real steps): 1/2 for tokens 1 and 2, 1 for token 3, 0 for padding 0 and unused 4
      expectArraysClose(await grads[table.name]!.data(), [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 0, 0]);
      tf.dispose([value, grads[table.name]!]);
    }
    expect(pool.computeOutputShape([null, 4, 2])).toEqual([null, 2]);
    ids.dispose();
    emb.dispose();
  });
});
