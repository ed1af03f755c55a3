import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { LSTM } from '../recurrent/lstm.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import { Sequential } from './sequential.js';
import {
  realSteps,
  realStepsFirst,
  realStepsOnDevice,
  realStepsProblem,
  realStepsToPlace,
} from './real_steps.js';

describe('real steps', () => {
  it("orders each row's tokens first, padded before, after, both or between", () => {
    const rows = [0, 0, 5, 6, 0, 7, 8, 9, 0, 0, 1, 0, 2, 0, 3];
    expect(realStepsProblem(rows, [3, 5])).toBeNull();
    const { lengths, order } = realSteps(rows, [3, 5]);
    expect([...lengths]).toEqual([2, 3, 3]);
    expect([...order!]).toEqual([2, 3, 0, 1, 4, 0, 1, 2, 3, 4, 0, 2, 4, 1, 3]);
  });

  it("needs no reordering when every row's tokens come first", () => {
    const { lengths, order } = realSteps([5, 6, 0, 7, 8, 9, 1, 0, 0], [3, 3]);
    expect([...lengths]).toEqual([2, 3, 1]);
    expect(order).toBeNull();
  });

  it('names rows without tokens, and values that do not fill the shape', () => {
    expect(realStepsProblem([1, 0, 2, 0], [1, 4])).toBeNull();
    expect(realStepsProblem([1, 2, 0, 0], [2, 2])).toMatch(/^\[1\] is all padding \(0\)/);
    expect(() => realSteps([1, 2, 3], [2, 2])).toThrow(
      /realSteps: values has 3 entries, expected rows · cols = 2 · 2 = 4/,
    );
  });

  it('permutes steps there and back, and gradients the other way', async () => {
    const order = Int32Array.of(1, 2, 0, 0, 2, 1);
    const x = tf.tensor3d([
      [[0], [1], [2]],
      [[3], [4], [5]],
    ]);
    const first = realStepsFirst(x, order);
    expect(Array.from(await first.data())).toEqual([1, 2, 0, 3, 5, 4]);
    const back = realStepsToPlace(first, order);
    expect(Array.from(await back.data())).toEqual([0, 1, 2, 3, 4, 5]);
    const weights = tf.tensor3d([
      [[1], [10], [100]],
      [[1], [2], [3]],
    ]);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(realStepsFirst(v, order), weights)))(x);
    expect(Array.from(await dx.data())).toEqual([100, 1, 10, 1, 3, 2]);
    const dy = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(realStepsToPlace(v, order), weights)))(x);
    expect(Array.from(await dy.data())).toEqual([10, 100, 1, 1, 3, 2]);
    expect(() => realStepsFirst(x, Int32Array.of(0, 1))).toThrow(/order has 2 entries for 2 rows of 3 steps/);
    tf.dispose([x, first, back, weights, dx, dy]);
  });
});

describeWithBackends('real steps on the device', () => {
  it('finds the same lengths and order as on the host, and permutes alike', async () => {
    const rows = [0, 0, 5, 6, 0, 7, 8, 9, 0, 0, 1, 0, 2, 0, 3];
    const host = realSteps(rows, [3, 5]);
    const mask = tf.tensor2d(rows, [3, 5], 'int32');
    const x = tf.tensor3d(
      Array.from({ length: 30 }, (_, i) => i),
      [3, 5, 2],
    );
    const weights = tf.randomUniform([3, 5, 2], -1, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const device = realStepsOnDevice(mask);
    expect(Array.from(await device.lengths.data())).toEqual([...host.lengths]);
    expect(Array.from(await device.order.data())).toEqual([...host.order!]);
    for (const permute of [realStepsFirst, realStepsToPlace]) {
      const loss = (order: Int32Array | tf.Tensor) => (v: tf.Tensor) =>
        tf.sum(tf.mul(permute(v, order), weights));
      const [a, b] = [tf.valueAndGrad(loss(host.order!))(x), tf.valueAndGrad(loss(device.order))(x)];
      expect(await b.value.data()).toEqual(await a.value.data());
      expect(await b.grad.data()).toEqual(await a.grad.data());
      tf.dispose([a.value, a.grad, b.value, b.grad]);
    }
    tf.dispose([device.lengths, device.order]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([mask, x, weights]);
  });
});

describeWithBackends('Keras masking with padding before or between the tokens', () => {
  const model = () =>
    new Sequential([
      new Embedding({ inputDim: 12, outputDim: 3, seed: 1, maskZero: true }),
      new LSTM({ hiddenSize: 4, bidirectional: true, returnSequences: true, seed: 2 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
    ]);
  const post = [
    [3, 4, 5, 6, 0, 0],
    [7, 8, 0, 0, 0, 0],
    [9, 10, 11, 0, 0, 0],
  ];
  const pre = [
    [0, 0, 3, 4, 5, 6],
    [0, 0, 0, 0, 7, 8],
    [0, 9, 10, 11, 0, 0],
  ];
  const between = [
    [3, 0, 4, 5, 0, 6],
    [0, 7, 0, 0, 8, 0],
    [9, 10, 11, 0, 0, 0],
  ];

  /**
   * sum(m.apply(x)) and its gradients for the model's weights, read back; with `withSteps`, given the
   * real steps found on the host.
   */
  const sumAndGradients = async (m: Sequential, x: number[][], withSteps: boolean) => {
    const ids = tf.tensor2d(x, undefined, 'int32');
    const options = withSteps ? { realSteps: realSteps(x.flat(), [x.length, x[0]!.length]) } : {};
    const { value, grads } = tf.variableGrads(
      () => tf.sum(m.apply(ids, options)) as tf.Scalar,
      m.trainableWeights(),
    );
    const out = {
      value: await value.data(),
      grads: await Promise.all(Object.values(grads).map((g) => g.data())),
    };
    tf.dispose([ids, value, ...Object.values(grads)]);
    return out;
  };

  it('gives the same outputs and gradients as padding after (bidirectional, returnSequences)', async () => {
    const m = model();
    m.build([null, 6]);
    // Through Sequential.apply without host steps the adapter reads the mask (cpu, wasm) or, on
    // webgpu in Node, falls back to counting; so pass the real steps the way fit/predict do.
    const a = await sumAndGradients(m, post, true);
    for (const padded of [pre, between]) {
      const b = await sumAndGradients(m, padded, true);
      expectArraysClose(b.value, a.value, { atol: 1e-6 });
      b.grads.forEach((g, i) => expectArraysClose(g, a.grads[i]!, { atol: 1e-6 }));
    }
    m.dispose();
  });

  it('needs no host steps: the mask alone gives the same (read back, or reordered on the device on webgpu)', async () => {
    const m = model();
    m.build([null, 6]);
    // webgpu computes tensors under 1000 elements on the CPU, where they can be read back: make the
    // batch big enough for the mask to stay on the GPU.
    const tiled = (rows: number[][]) => Array.from({ length: 60 }, () => rows).flat();
    const a = await sumAndGradients(m, tiled(post), true);
    const before = tf.memory().numTensors;
    for (const padded of [pre, between]) {
      const b = await sumAndGradients(m, tiled(padded), false);
      expectArraysClose(b.value, a.value, { rtol: 1e-5, atol: 1e-4 });
      b.grads.forEach((g, i) => expectArraysClose(g, a.grads[i]!, { rtol: 1e-5, atol: 1e-4 }));
    }
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it("puts each step's output back at its own position, zeros at padding", async () => {
    const lstm = new LSTM({ hiddenSize: 2, returnSequences: true, seed: 4 });
    const m = new Sequential([new Embedding({ inputDim: 12, outputDim: 3, seed: 1, maskZero: true }), lstm]);
    m.build([null, 6]);
    const before = tf.memory().numTensors;
    const a = await m.predict(post);
    const va = (await a.array()) as number[][][];
    for (const padded of [pre, between]) {
      const b = await m.predict(padded);
      const vb = (await b.array()) as number[][][];
      vb.forEach((row, r) => {
        let k = 0; // the row's k-th token is post's step k
        row.forEach((step, t) =>
          expectArraysClose(step, padded[r]![t] !== 0 ? va[r]![k++]! : [0, 0], { atol: 1e-6 }),
        );
      });
      b.dispose();
    }
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
