import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { KERAS_ADAM_UPDATE } from '../ops/kernel_names.js';
import { KerasAdam } from './keras_adam.js';

// KerasAdam (fused on webgpu, tfjs-core ops elsewhere) against Keras's rule worked out on the host
// in double precision: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
// value -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).

function kerasAdamOnHost(
  start: number[],
  grads: number[][],
  lr: number,
  b1: number,
  b2: number,
  eps: number,
): number[] {
  const value = [...start];
  const m = value.map(() => 0);
  const v = value.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    value.forEach((_, i) => {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      value[i] = value[i]! - (alpha * m[i]!) / (Math.sqrt(v[i]!) + eps);
    });
  });
  return value;
}

describeWithBackends('KerasAdam', () => {
  it("follows Keras's rule step by step, small gradients included", async () => {
    const start = [0.5, -1, 2, 0, 3e-3, -0.25];
    const grads = [
      [0.1, -2, 1e-6, 0, 5, -1e-4],
      [0.2, 1, -1e-6, 3, -5, 1e-4],
      [-0.3, 0.5, 2e-6, -1, 4, 0],
    ];
    const w = tf.variable(tf.tensor1d(start));
    const optimizer = new KerasAdam(0.01, 0.9, 0.999, 1e-7);
    for (const g of grads) {
      const gt = tf.tensor1d(g);
      optimizer.applyGradients({ [w.name]: gt });
      gt.dispose();
    }
    expectArraysClose(await w.data(), kerasAdamOnHost(start, grads, 0.01, 0.9, 0.999, 1e-7), { atol: 2e-6 });
    w.dispose();
    optimizer.dispose();
  });

  it('runs one kernel per variable where the backend has it, with a flat tensor count', async () => {
    const w = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    const optimizer = new KerasAdam();
    const step = () => {
      const g = tf.fill([2, 2], 0.5);
      optimizer.applyGradients({ [w.name]: g });
      g.dispose();
    };
    step(); // creates the slots
    const before = tf.memory().numTensors;
    const profile = await tf.profile(step);
    for (let i = 0; i < 50; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    const names = profile.kernels.map((k) => k.name).filter((n) => n !== 'Fill');
    if (tf.getKernel(KERAS_ADAM_UPDATE, tf.getBackend())) expect(names).toEqual(['RnnkitKerasAdamUpdate']);
    else expect(names).toContain('Sqrt');
    w.dispose();
    optimizer.dispose();
  });
});
