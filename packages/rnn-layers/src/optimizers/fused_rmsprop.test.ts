import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { RMSPROP_UPDATE } from '../ops/kernel_names.js';
import { FusedRMSPropOptimizer, rmsprop } from './fused_rmsprop.js';

// The fused RMSprop against tfjs-core's, step by step: same variables, same slots, same saved
// weights. On webgpu the fused kernel runs; elsewhere the class falls back to tfjs-core's update.

describeWithBackends('FusedRMSPropOptimizer', () => {
  const start = {
    w: [
      [0.5, -1.5, 2],
      [0.25, 0, -3],
    ],
    b: [0.1, -0.2],
  };
  const grads = (step: number) => ({
    w: tf.tensor2d(
      [
        [1, -2, 0.5],
        [0, 3, -1],
      ].map((r) => r.map((v) => v * (step + 1) * 0.3)),
    ),
    b: tf.tensor1d([0.7 - step, 2]),
  });

  async function train(optimizer: tf.Optimizer, steps: number) {
    const w = tf.variable(tf.tensor2d(start.w));
    const b = tf.variable(tf.tensor1d(start.b));
    for (let s = 0; s < steps; s++) {
      const g = grads(s);
      optimizer.applyGradients([
        { name: w.name, tensor: g.w },
        { name: b.name, tensor: g.b },
      ]);
      tf.dispose([g.w, g.b]);
    }
    const weights = await optimizer.getWeights();
    const out = {
      w: await w.data(),
      b: await b.data(),
      slots: await Promise.all(
        weights
          .slice(1)
          .map(async (v) => ({ name: v.name.replace(/^[^/]*\//, ''), data: await v.tensor.data() })),
      ),
    };
    tf.dispose([w, b]);
    optimizer.dispose();
    return out;
  }

  for (const [momentum, centered] of [
    [0, false],
    [0.9, false],
    [0.5, true],
  ] as const) {
    it(`steps as tfjs-core's RMSprop (momentum ${momentum}${centered ? ', centered' : ''})`, async () => {
      const fused = await train(rmsprop(0.01, 0.9, momentum, 1e-7, centered), 4);
      const plain = await train(tf.train.rmsprop(0.01, 0.9, momentum, 1e-7, centered), 4);
      expectArraysClose(fused.w, plain.w, { atol: 1e-6 });
      expectArraysClose(fused.b, plain.b, { atol: 1e-6 });
      expect(fused.slots.map((s) => s.name)).toEqual(plain.slots.map((s) => s.name));
      fused.slots.forEach((s, i) => expectArraysClose(s.data, plain.slots[i]!.data, { atol: 1e-6 }));
    });
  }

  it('keeps the tensor count flat over 100 steps', async () => {
    const optimizer = new FusedRMSPropOptimizer(0.01);
    const w = tf.variable(tf.tensor2d(start.w));
    const step = () => {
      const g = tf.fill([2, 3], 0.5);
      optimizer.applyGradients({ [w.name]: g });
      g.dispose();
    };
    step(); // creates the slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    await w.data();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
    optimizer.dispose();
  });

  it('runs as one kernel per variable where the backend has it', async () => {
    const w = tf.variable(tf.tensor2d(start.w));
    const optimizer = rmsprop(0.01);
    const step = () => {
      const g = tf.fill([2, 3], 0.5);
      optimizer.applyGradients({ [w.name]: g });
      g.dispose();
    };
    step(); // creates the slots
    const profile = await tf.profile(step);
    const names = profile.kernels.map((k) => k.name);
    if (tf.getKernel(RMSPROP_UPDATE, tf.getBackend()))
      expect(names.filter((n) => n !== 'Fill')).toEqual(['RnnkitRMSPropUpdate']);
    else expect(names).toContain('Sqrt'); // tfjs-core's update
    w.dispose();
    optimizer.dispose();
  });
});
