import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { Embedding } from './embedding.js';
import { reference } from './__fixtures__/keras_reference.js';

const ref = reference.embedding;

describeWithBackends('Embedding', () => {
  it('matches nn.Embedding forward and its table gradient (repeated indices add up)', async () => {
    const emb = new Embedding({ inputDim: 10, outputDim: 4, seed: 3 });
    emb.setWeights({ embeddings: tf.tensor(ref.table, ref.table_shape) });
    const idx = tf.tensor(ref.indices, ref.indices_shape, 'int32');
    const w = tf.tensor(ref.upstream, [2, 3, 4]);
    const out = emb.apply(idx);
    expect(out.shape).toEqual([2, 3, 4]);
    expectArraysClose(await out.data(), ref.output);
    const table = emb.namedWeights()[0]![1];
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(emb.apply(idx), w)) as tf.Scalar, [table]);
    expectArraysClose(await grads[table.name]!.data(), ref.grad_table);
    tf.dispose([idx, w, out, grads[table.name]!]);
    emb.dispose();
  });

  it('draws U(-0.05, 0.05) identically for the same seed, and masks index 0 with maskZero', async () => {
    const a = new Embedding({ inputDim: 50, outputDim: 8, seed: 11, maskZero: true });
    const b = new Embedding({ inputDim: 50, outputDim: 8, seed: 11 });
    a.build([null, null]);
    b.build([null, null]);
    const wa = Array.from(await a.namedWeights()[0]![1].data());
    expect(wa).toEqual(Array.from(await b.namedWeights()[0]![1].data()));
    expect(Math.max(...wa.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(Math.max(...wa)).toBeGreaterThan(0.04); // the range is used, not a degenerate draw
    const x = tf.tensor2d(
      [
        [3, 4, 0],
        [1, 0, 0],
      ],
      undefined,
      'int32',
    );
    const mask = a.computeMask(x, null)!;
    expect(Array.from(await mask.data())).toEqual([1, 1, 0, 1, 0, 0]);
    expect(b.computeMask(x, null)).toBeNull();
    tf.dispose([x, mask]);
    a.dispose();
    b.dispose();
  });
});

describe('Embedding errors', () => {
  it('names the bad option and weight', () => {
    expect(() => new Embedding({ inputDim: 10.5, outputDim: 2 })).toThrow(
      /options.inputDim must be a positive integer, got 10.5/,
    );
    expect(() => new Embedding({ inputDim: 10, outputDim: -1 })).toThrow(/options.outputDim/);
    const emb = new Embedding({ inputDim: 10, outputDim: 2, name: 'tok' });
    const w = tf.zeros([10, 3]);
    expect(() => emb.setWeights({ embeddings: w })).toThrow(
      /Embedding 'tok'.setWeights: weight 'embeddings' has shape \[10, 3\], expected \[10, 2\]/,
    );
    expect(() => emb.setWeights({ embeddings: w, kernel: w })).toThrow(/unexpected weight\(s\) 'kernel'/);
    w.dispose();
    emb.dispose();
  });
});
