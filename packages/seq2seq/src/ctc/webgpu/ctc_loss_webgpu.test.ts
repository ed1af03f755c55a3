import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { ctcLossAndGradient, labelOffsets } from '../cpu/ctc_loss_js.js';
import { ctcLoss } from '../ctc_loss.js';
import { runKernel } from '../kernel_config.js';
import { CTC_LOSS, type CtcLossAttrs } from '../kernel_names.js';
import { registerCtcKernels } from '../register_ctc_kernels.js';
import { CTC_RECURSION_WORKGROUP } from './ctc_loss_webgpu.js';

// What the torch fixtures (ctc_loss.test.ts, run on webgpu too) do not reach: targets whose 2 S + 1
// states exceed the recursion's workgroup, so each invocation loops over several states, at T = 1000.
// The oracle is the host kernel's float64 recursion (itself checked against torch), on the same inputs.

interface Problem {
  T: number;
  N: number;
  C: number;
  blank: number;
  inputLengths: number[];
  targetLengths: number[];
  labels: number[];
  logProbs: Float32Array;
}

/** Random log-probabilities and targets with runs of repeated labels. */
function longProblem(seed: number, blank: number): Problem {
  const random = new SeededRandom(seed);
  const T = 1000;
  const C = 6;
  // 601 and 261 states (above the workgroup of 128), an empty target, and 400 repeats in 300 frames
  // (no alignment fits).
  const inputLengths = [1000, 700, 500, 300];
  const targetLengths = [300, 130, 0, 400];
  const labels: number[] = [];
  for (const [n, length] of targetLengths.entries()) {
    let previous = -1;
    for (let i = 0; i < length; i++) {
      let label = previous;
      if (n === 3 ? previous < 0 : previous < 0 || random.nextFloat() >= 0.3) {
        label = Math.floor(random.nextFloat() * (C - 1));
        if (label >= blank) label += 1;
      }
      labels.push(label);
      previous = label;
    }
  }
  const N = inputLengths.length;
  const logits = Float32Array.from({ length: T * N * C }, () => 3 * (random.nextFloat() - 0.5));
  const logProbs = tf.tidy(() => tf.logSoftmax(tf.tensor3d(logits, [T, N, C])).dataSync() as Float32Array);
  return { T, N, C, blank, inputLengths, targetLengths, labels, logProbs };
}

function hostOracle(p: Problem, zeroInfinity: boolean) {
  return ctcLossAndGradient({
    ...p,
    labels: Int32Array.from(p.labels),
    labelOffsets: labelOffsets(p.targetLengths, 0),
    zeroInfinity,
  });
}

describeWithBackends(
  'ctcLoss webgpu kernel',
  () => {
    it(`loops states per invocation when 2 S + 1 > ${CTC_RECURSION_WORKGROUP}: losses and gradients at T = 1000`, async () => {
      expect(2 * 300 + 1).toBeGreaterThan(4 * CTC_RECURSION_WORKGROUP);
      registerCtcKernels();
      for (const [seed, blank, zeroInfinity] of [
        [1, 0, false],
        [2, 3, true],
      ] as const) {
        // The host problem is built on cpu: the webgpu backend cannot read synchronously in Node.
        await tf.setBackend('cpu');
        const p = longProblem(seed, blank);
        await tf.setBackend('webgpu');
        const expected = hostOracle(p, zeroInfinity);
        const logProbs = tf.tensor3d(p.logProbs, [p.T, p.N, p.C]);
        const targets = tf.tensor1d(p.labels, 'int32');
        const attrs = (workspace: boolean): CtcLossAttrs => ({
          inputLengths: p.inputLengths,
          targetLengths: p.targetLengths,
          blank,
          zeroInfinity,
          workspace,
        });
        const [losses, gradient] = runKernel(CTC_LOSS, { logProbs, targets }, attrs(true));
        const [lossesOnly] = runKernel(CTC_LOSS, { logProbs, targets }, attrs(false));
        const values = await losses!.data();
        // f32 log space (measured: losses 5e-7 relative, posteriors 4e-6 absolute at T = 1000, W = 601).
        expectArraysClose(values, expected.nll, { rtol: 1e-5, atol: 1e-5 });
        expect(values[3]).toBe(zeroInfinity ? 0 : Infinity);
        expectArraysClose(await lossesOnly!.data(), values, { rtol: 1e-6, atol: 0 });
        expectArraysClose(await gradient!.data(), expected.gradient, { atol: 2e-5 });
        tf.dispose([losses, gradient, lossesOnly, logProbs, targets]);
      }
    });

    it('leaves no tensor and no backend data behind, forward alone and forward + backward', async () => {
      await tf.setBackend('cpu');
      const p = longProblem(3, 0);
      await tf.setBackend('webgpu');
      const logProbs = tf.tensor3d(p.logProbs, [p.T, p.N, p.C]);
      const targets = tf.tensor1d(p.labels, 'int32');
      const loss = (lp: tf.Tensor) =>
        ctcLoss(lp, targets, p.inputLengths, p.targetLengths, { zeroInfinity: true });
      const data = tf.engine().backend.numDataIds();
      await expectNoTensorLeak(async () => {
        const value = loss(logProbs);
        await value.data();
        value.dispose();
      }, 'forward');
      await expectNoTensorLeak(async () => {
        const { value, grad } = tf.valueAndGrad(loss)(logProbs);
        await grad.data();
        tf.dispose([value, grad]);
      }, 'forward + backward');
      expect(tf.engine().backend.numDataIds()).toBe(data);
      tf.dispose([logProbs, targets]);
    });

    it('no frames (T = 0) or no sequences (N = 0): losses from the lengths alone', async () => {
      for (const zeroInfinity of [false, true]) {
        const targets = tf.tensor1d([1], 'int32');
        const logProbs = tf.zeros([0, 2, 3]);
        const f = (lp: tf.Tensor) =>
          ctcLoss(lp, targets, [0, 0], [0, 1], { reduction: 'none', zeroInfinity });
        const losses = f(logProbs);
        const grad = tf.grad((lp: tf.Tensor) => tf.sum(f(lp)))(logProbs);
        expect(Array.from(await losses.data())).toEqual([0, zeroInfinity ? 0 : Infinity]);
        expect(grad.shape).toEqual([0, 2, 3]);
        tf.dispose([losses, grad, targets, logProbs]);
      }
      const [logProbs, targets] = [tf.zeros([4, 0, 3]), tf.tensor1d([], 'int32')];
      const none = ctcLoss(logProbs, targets, [], [], { reduction: 'none' });
      expect(none.shape).toEqual([0]);
      tf.dispose([none, logProbs, targets]);
    });
  },
  { backends: ['webgpu'] },
);
