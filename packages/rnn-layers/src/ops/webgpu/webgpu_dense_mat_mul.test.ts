import * as tf from '@tensorflow/tfjs-core';
import { randomUniform, SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { denseMatMul } from '../dense_mat_mul.js';
import { registerRecurrenceGradients } from '../register_recurrence_gradients.js';
import { registerRnnLayersKernels } from '../register_rnn_layers_kernels.js';
import { chunksFor } from './webgpu_dense_mat_mul.js';

// The webgpu dense matmul against tf.matMul: long reductions (split into chunks) in every layout that
// splits, ones that cannot split, with a bias, and gradients through it.

describe("the split reduction's chunk count", () => {
  it("keeps the partial products within 64 MiB and the device's binding limit", () => {
    const MiB = 2 ** 20;
    expect(chunksFor(12800, 2048 * 128, 2048 * MiB)).toBe(64); // dW_ih at batch 64, time 200, hidden 512
    expect(chunksFor(12800, 2048 * 512, 2048 * MiB)).toBe(16); // dW_hh: 64 chunks would take 256 MiB
    expect(chunksFor(12800, 2048 * 512, 32 * MiB)).toBe(8);
    expect(chunksFor(12800, 2048 * 512, 16 * MiB)).toBe(0);
    expect(chunksFor(1000, 64, 2048 * MiB)).toBe(0); // short: whole
  });
});

describeWithBackends(
  'webgpu denseMatMul',
  () => {
    it('matches tf.matMul with and without the split reduction', async () => {
      registerRnnLayersKernels();
      const rng = new SeededRandom(3);
      const before = tf.memory().numTensors;
      const cases: Array<[number[], number[], boolean, boolean]> = [
        [[2048, 24], [2048, 8], true, false], // split: dW = dG^T h over T*B rows
        [[1, 2048], [2048, 8], false, false], // split: bias gradient as ones x dy
        [[2050, 24], [2050, 8], true, false], // not divisible by a chunk count: whole
        [[24, 40], [8, 40], false, true], // short reduction: whole
        [[2048, 1024], [2048, 1024], true, false], // split capped by the partials' size (16 chunks)
      ];
      for (const [sa, sb, tA, tB] of cases) {
        const a = randomUniform(sa, -1, 1, rng);
        const b = randomUniform(sb, -1, 1, rng);
        const ours = denseMatMul(a, b, tA, tB);
        const theirs = tf.matMul(a, b, tA, tB);
        expect(ours.shape).toEqual(theirs.shape);
        expectArraysClose(await ours.data(), await theirs.data(), { atol: 1e-3 });
        tf.dispose([a, b, ours, theirs]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('adds the bias and differentiates like tf.matMul + tf.add', async () => {
      registerRnnLayersKernels();
      registerRecurrenceGradients();
      const rng = new SeededRandom(4);
      const x = randomUniform([2048, 6], -1, 1, rng);
      const w = randomUniform([5, 6], -1, 1, rng);
      const bias = randomUniform([5], -1, 1, rng);
      const r = randomUniform([2048, 5], -1, 1, rng);
      const loss =
        (fn: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
        (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
          tf.sum(tf.mul(fn(xs, ws, bs), r)) as tf.Scalar;
      const ours = tf.grads(loss((xs, ws, bs) => denseMatMul(xs, ws, false, true, bs)))([x, w, bias]);
      const theirs = tf.grads(loss((xs, ws, bs) => tf.add(tf.matMul(xs, ws, false, true), bs)))([x, w, bias]);
      for (let i = 0; i < 3; i++)
        expectArraysClose(await ours[i]!.data(), await theirs[i]!.data(), { atol: 1e-3 });
      tf.dispose([x, w, bias, r, ours, theirs]);
    });

    it('adds a bias to a split product too', async () => {
      registerRnnLayersKernels();
      const rng = new SeededRandom(5);
      const a = randomUniform([2048, 24], -1, 1, rng);
      const b = randomUniform([2048, 8], -1, 1, rng);
      const bias = randomUniform([8], -1, 1, rng);
      const ours = denseMatMul(a, b, true, false, bias);
      const theirs = tf.add(tf.matMul(a, b, true, false), bias);
      expectArraysClose(await ours.data(), await theirs.data(), { atol: 1e-3 });
      tf.dispose([a, b, bias, ours, theirs]);
    });
  },
  { backends: ['webgpu'] },
);
