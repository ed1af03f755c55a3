import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { ACTIVATIONS, applyActivation } from './activations.js';
import { Dense } from './dense.js';
import { reference } from './__fixtures__/keras_reference.js';

const ref = reference.dense;

describeWithBackends('Dense', () => {
  for (const activation of ACTIVATIONS) {
    it(`matches nn.Linear + ${activation}`, async () => {
      const dense = new Dense({ units: 3, activation, seed: 1 });
      const x = tf.tensor(ref.x, ref.x_shape);
      dense.setWeights({ kernel: tf.tensor(ref.kernel, ref.kernel_shape), bias: tf.tensor(ref.bias) });
      const y = dense.apply(x);
      expect(y.shape).toEqual([4, 3]);
      expectArraysClose(await y.data(), ref.outputs[activation]);
      tf.dispose([x, y]);
      dense.dispose();
    });
  }

  it("sigmoid and tanh have tfjs-core's gradients (with the 1 filled on the device)", async () => {
    const x = tf.tensor1d([-30, -3, -0.5, 0, 0.25, 2, 40]);
    const dy = tf.tensor1d([1, -2, 0.5, 3, -1, 0.25, 2]);
    for (const [name, op] of [
      ['sigmoid', tf.sigmoid],
      ['tanh', tf.tanh],
    ] as const) {
      const ours = tf.grad((v: tf.Tensor) => applyActivation(name, v))(x, dy);
      const theirs = tf.grad((v: tf.Tensor) => op(v))(x, dy);
      expectArraysClose(await ours.data(), await theirs.data(), { atol: 0 });
      tf.dispose([ours, theirs]);
    }
    tf.dispose([x, dy]);
  });

  it('applies to the last axis of a rank-3 input', async () => {
    const dense = new Dense({ units: 3, inputDim: 5 });
    dense.setWeights({ kernel: tf.tensor(ref.kernel, ref.kernel_shape), bias: tf.tensor(ref.bias) });
    const x = tf.tensor(ref.x3, ref.x3_shape);
    const y = dense.apply(x);
    expect(y.shape).toEqual([2, 3, 3]);
    expectArraysClose(await y.data(), ref.output3_linear);
    tf.dispose([x, y]);
    dense.dispose();
  });

  it('gives the same Glorot-uniform kernel for the same seed, within the Glorot bound', async () => {
    const before = tf.memory().numTensors;
    const probe = new Dense({ units: 2, inputDim: 3 });
    expect(tf.memory().numTensors - before).toBe(2); // kernel and bias, nothing else
    probe.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const a = new Dense({ units: 7, seed: 42, inputDim: 9 });
    const b = new Dense({ units: 7, seed: 42, inputDim: 9 });
    const ka = await a.namedWeights()[0]![1].data();
    const kb = await b.namedWeights()[0]![1].data();
    expect(Array.from(ka)).toEqual(Array.from(kb));
    const bound = Math.sqrt(6 / (9 + 7));
    expect(Math.max(...Array.from(ka).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Array.from(await a.namedWeights()[1]![1].data())).toEqual(new Array(7).fill(0));
    a.dispose();
    b.dispose();
  });
});

describe('Dense errors', () => {
  it('names the bad option', () => {
    expect(() => new Dense({ units: 0 })).toThrow(/options.units must be a positive integer, got 0/);
    expect(() => new Dense({ units: 2, activation: 'gelu' as never })).toThrow(
      /options.activation must be one of .*got "gelu"/,
    );
  });

  it('rejects a feature-size change and mis-shaped weights', () => {
    const dense = new Dense({ units: 2, inputDim: 3, name: 'out' });
    const x = tf.zeros([1, 4]);
    expect(() => dense.apply(x)).toThrow(/Dense 'out': input has 4 features, but the layer was built for 3/);
    const k = tf.zeros([3, 3]);
    expect(() => dense.setWeights({ kernel: k, bias: tf.zeros([2]) })).toThrow(
      /weight 'kernel' has shape \[3, 3\], expected \[3, 2\]/,
    );
    expect(() => dense.setWeights({ kernel: tf.zeros([3, 2]) })).toThrow(/missing weight 'bias'/);
    tf.dispose([x, k]);
    dense.dispose();
  });
});
