import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { LSTM } from '../recurrent/lstm.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import { Sequential } from './sequential.js';
import { runsToFront, runsToPlace, tokenRunProblem, tokenRuns } from './token_runs.js';

describe('token runs', () => {
  it('finds each row\'s run of tokens, padded before, after or both', () => {
    const rows = [0, 0, 5, 6, 0, 7, 8, 9, 0, 0, 1, 0, 0, 0, 0];
    expect(tokenRunProblem(rows, [3, 5])).toBeNull();
    const { starts, lengths } = tokenRuns(rows, [3, 5]);
    expect([...starts]).toEqual([2, 0, 0]);
    expect([...lengths]).toEqual([2, 3, 1]);
  });

  it('names holes and rows without tokens', () => {
    expect(tokenRunProblem([1, 0, 2, 0], [1, 4])).toMatch(/^\[0\]\[2\] is a token after padding inside the sequence/);
    expect(tokenRunProblem([1, 2, 0, 0], [2, 2])).toMatch(/^\[1\] is all padding \(0\)/);
  });

  it('rotates runs to the front and back, and their gradients the other way', async () => {
    const starts = Int32Array.of(1, 0);
    const x = tf.tensor3d([[[0], [1], [2]], [[3], [4], [5]]]);
    const front = runsToFront(x, starts);
    expect(Array.from(await front.data())).toEqual([1, 2, 0, 3, 4, 5]);
    const back = runsToPlace(front, starts);
    expect(Array.from(await back.data())).toEqual([0, 1, 2, 3, 4, 5]);
    const weights = tf.tensor3d([[[1], [10], [100]], [[1], [2], [3]]]);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(runsToFront(v, starts), weights)))(x);
    expect(Array.from(await dx.data())).toEqual([100, 1, 10, 1, 2, 3]);
    tf.dispose([x, front, back, weights, dx]);
  });
});

describeWithBackends('Keras masking with padding before the tokens', () => {
  const model = () => new Sequential([
    new Embedding({ inputDim: 12, outputDim: 3, seed: 1, maskZero: true }),
    new LSTM({ hiddenSize: 4, bidirectional: true, returnSequences: true, seed: 2 }),
    new GlobalAveragePooling1D(),
    new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
  ]);
  const post = [[3, 4, 5, 6, 0, 0], [7, 8, 0, 0, 0, 0], [9, 10, 11, 0, 0, 0]];
  const pre = [[0, 0, 3, 4, 5, 6], [0, 0, 0, 0, 7, 8], [0, 9, 10, 11, 0, 0]];

  it('gives the same outputs and gradients as padding after (bidirectional, returnSequences)', async () => {
    const m = model();
    m.build([null, 6]);
    const gradients = async (x: number[][]) => {
      const ids = tf.tensor2d(x, undefined, 'int32');
      // Through Sequential.apply without host runs: the adapter reads the mask (cpu, wasm) or, on
      // webgpu in Node, falls back to counting; so pass the runs the way fit/predict do.
      const { starts, lengths } = tokenRuns(x.flat(), [x.length, x[0]!.length]);
      const { value, grads } = tf.variableGrads(() => tf.sum(m.apply(ids, { lengths, starts })) as tf.Scalar, m.trainableWeights());
      const out = { value: await value.data(), grads: await Promise.all(Object.values(grads).map((g) => g.data())) };
      tf.dispose([ids, value, ...Object.values(grads)]);
      return out;
    };
    const a = await gradients(post);
    const b = await gradients(pre);
    expectArraysClose(b.value, a.value, { atol: 1e-6 });
    b.grads.forEach((g, i) => expectArraysClose(g, a.grads[i]!, { atol: 1e-6 }));
    m.dispose();
  });

  it('puts each step\'s output back at its own position, zeros at padding', async () => {
    const lstm = new LSTM({ hiddenSize: 2, returnSequences: true, seed: 4 });
    const m = new Sequential([new Embedding({ inputDim: 12, outputDim: 3, seed: 1, maskZero: true }), lstm]);
    m.build([null, 6]);
    const before = tf.memory().numTensors;
    const a = await m.predict(post);
    const b = await m.predict(pre);
    const [va, vb] = [await a.array() as number[][][], await b.array() as number[][][]];
    const shift = [2, 4, 1];
    vb.forEach((row, r) => row.forEach((step, t) => {
      const k = t - shift[r]!;
      const expected = k >= 0 && post[r]![k] !== 0 ? va[r]![k]! : [0, 0];
      expectArraysClose(step, expected, { atol: 1e-6 });
    }));
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
