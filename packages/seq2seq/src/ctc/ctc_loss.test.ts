import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { CTC_FIXTURE_CASES, loadCtcFixture, type CtcFixtureCase } from './__fixtures__/load_fixture.js';
import type { CtcLengths, CtcLossOptions } from './ctc_arguments.js';
import { ctcLoss } from './ctc_loss.js';
import { ctcLossReference } from './ctc_loss_reference.js';
import { ctcLossCpuConfig } from './cpu/register_js_kernels.js';
import { runKernel } from './kernel_config.js';
import { CTC_LOSS, type CtcLossAttrs } from './kernel_names.js';
import type { CtcLossResult } from './reduce_losses.js';
import { registerCtcKernels } from './register_ctc_kernels.js';
import { webgpuCtcKernelConfigs } from './webgpu/ctc_loss_webgpu.js';

// ctcLoss (the fused kernel and its alpha-beta gradient) and ctcLossReference (tfjs-core ops and
// autodiff) against torch.nn.functional.ctc_loss (tools/fixtures/seq2seq_ctc.py), and against each
// other on random problems. Gradients are compared with respect to the logits before tf.logSoftmax,
// where PyTorch's ctc_loss backward is the true gradient.

type CtcImpl = (
  logProbs: tf.Tensor,
  targets: tf.Tensor,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options?: CtcLossOptions,
) => CtcLossResult;

const fixture = loadCtcFixture();
const LOSS_TOL = { atol: 1e-4, rtol: 1e-5 };
const GRAD_TOL = { atol: 1e-4 };

describe('ctcLoss fixture', () => {
  it(`holds the ${CTC_FIXTURE_CASES} cases tools/fixtures/seq2seq_ctc.py writes`, () => {
    expect(fixture.count).toBe(CTC_FIXTURE_CASES);
    expect(fixture.cases).toHaveLength(CTC_FIXTURE_CASES);
    expect(fixture.cases.some((c) => c.T === 1000)).toBe(true);
  });
});

const expectedLoss = (c: CtcFixtureCase): number[] => (Array.isArray(c.loss) ? c.loss : [c.loss]);
const hasInfiniteLoss = (c: CtcFixtureCase) => expectedLoss(c).some((v) => !Number.isFinite(v));

/** The scalar torch differentiated: the loss, or sum(gradWeights * loss) for reduction 'none'. */
function objective(c: CtcFixtureCase, loss: tf.Tensor): tf.Scalar {
  return c.reduction === 'none'
    ? tf.sum(tf.mul(loss, tf.tensor1d(c.gradWeights ?? [])))
    : (loss as tf.Scalar);
}

type Form = 'padded targets, number[] lengths' | 'concatenated targets, int32 tensor lengths';
const FORMS: readonly Form[] = [
  'padded targets, number[] lengths',
  'concatenated targets, int32 tensor lengths',
];

/** Runs `impl` on a fixture case: the loss from the fixture's log-probs, the gradient from its logits. */
async function runCase(impl: CtcImpl, c: CtcFixtureCase, form: Form) {
  const padded = form.startsWith('padded');
  const targets = padded
    ? tf.tensor2d(c.targets.flat(), [c.N, c.S], 'int32')
    : tf.tensor1d(c.targetsConcat, 'int32');
  const inputLengths = padded ? c.inputLengths : tf.tensor1d(c.inputLengths, 'int32');
  const targetLengths = padded ? c.targetLengths : tf.tensor1d(c.targetLengths, 'int32');
  const logProbs = tf.tensor3d(c.logProbs, [c.T, c.N, c.C]);
  const logits = tf.tensor3d(c.logits, [c.T, c.N, c.C]);
  const options: CtcLossOptions = { blank: c.blank, reduction: c.reduction, zeroInfinity: c.zeroInfinity };
  let loss: Float32Array | undefined;
  let grad: Float32Array | undefined;
  // Forward alone, and forward and backward, leave no tensor (nor backend data) behind.
  const dataBefore = tf.engine().backend.numDataIds();
  await expectNoTensorLeak(async () => {
    const value = impl(logProbs, targets, inputLengths, targetLengths, options);
    await value.data();
    value.dispose();
  }, `ctcLoss forward (${c.name})`);
  await expectNoTensorLeak(async () => {
    const value = impl(logProbs, targets, inputLengths, targetLengths, options);
    const dLogits = tf.grad((x: tf.Tensor) =>
      objective(c, impl(tf.logSoftmax(x), targets, inputLengths, targetLengths, options)),
    )(logits);
    expect(value.shape).toEqual(c.reduction === 'none' ? [c.N] : []);
    loss = (await value.data()) as Float32Array;
    grad = (await dLogits.data()) as Float32Array;
    tf.dispose([value, dLogits]);
  }, `ctcLoss forward + backward (${c.name})`);
  expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
  tf.dispose([targets, logProbs, logits, inputLengths, targetLengths] as tf.TensorContainer);
  return { loss: loss ?? new Float32Array(0), grad: grad ?? new Float32Array(0) };
}

describeWithBackends(
  'ctcLoss',
  () => {
    for (const c of fixture.cases) {
      for (const form of FORMS) {
        it(`${c.name} (${form}): loss and logits gradient equal torch`, async () => {
          const { loss, grad } = await runCase(ctcLoss, c, form);
          expectArraysClose(loss, expectedLoss(c), LOSS_TOL);
          // NaN where torch has NaN: the rows of an infinite loss without zeroInfinity.
          expectArraysClose(grad, c.gradLogits, GRAD_TOL);
        });
      }
    }

    it('the reference (tfjs-core ops, autodiff) equals torch and the kernel on the short cases', async () => {
      for (const c of fixture.cases.filter((c) => c.T <= 12)) {
        for (const form of FORMS) {
          const reference = await runCase(ctcLossReference, c, form);
          const kernel = await runCase(ctcLoss, c, form);
          expectArraysClose(reference.loss, expectedLoss(c), LOSS_TOL);
          expectArraysClose(reference.loss, kernel.loss, LOSS_TOL);
          // The reference's gradient of an infinite loss is 0, not NaN: compared where both are defined.
          if (!hasInfiniteLoss(c) || c.zeroInfinity) {
            expectArraysClose(reference.grad, c.gradLogits, GRAD_TOL);
            expectArraysClose(reference.grad, kernel.grad, GRAD_TOL);
          }
        }
      }
    });

    it('equals the reference on random problems, gradients w.r.t. logProbs included', async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const problem = randomProblem(seed);
        const { logProbs, targets, weights, inputLengths, targetLengths, options } = problem;
        const run = (impl: CtcImpl) =>
          tf.tidy(() => {
            const loss = impl(logProbs, targets, inputLengths, targetLengths, options);
            const grad = tf.grad((lp: tf.Tensor) =>
              tf.sum(tf.mul(impl(lp, targets, inputLengths, targetLengths, options), weights)),
            )(logProbs);
            return [loss, grad];
          });
        const [loss, grad] = run(ctcLoss);
        const [refLoss, refGrad] = run(ctcLossReference);
        expectArraysClose(await loss!.data(), await refLoss!.data(), LOSS_TOL);
        expectArraysClose(await grad!.data(), await refGrad!.data(), GRAD_TOL);
        tf.dispose([loss, grad, refLoss, refGrad, logProbs, targets, weights]);
      }
    });

    it("the kernel's workspace is each sequence's own gradient (dy = 1), and is skipped without the tape", async () => {
      const problem = randomProblem(11, { T: 30, N: 4, C: 7, maxTarget: 10 });
      const { logProbs, targets, weights, inputLengths, targetLengths, options } = problem;
      const attrs = (workspace: boolean): CtcLossAttrs => ({
        inputLengths,
        targetLengths,
        blank: options.blank,
        zeroInfinity: options.zeroInfinity,
        workspace,
      });
      const withWorkspace = runKernel(CTC_LOSS, { logProbs, targets }, attrs(true));
      const lossesOnly = runKernel(CTC_LOSS, { logProbs, targets }, attrs(false));
      expect(withWorkspace.map((t) => t.shape)).toEqual([[4], [30, 4, 7]]);
      expect(lossesOnly.map((t) => t.shape)).toEqual([[4]]);
      expectArraysClose(await lossesOnly[0]!.data(), await withWorkspace[0]!.data(), { atol: 0 });
      // The reference differentiated by autodiff, each loss with weight 1.
      const reference = tf.grad((lp: tf.Tensor) =>
        tf.sum(ctcLossReference(lp, targets, inputLengths, targetLengths, options)),
      )(logProbs);
      expectArraysClose(await withWorkspace[1]!.data(), await reference.data(), GRAD_TOL);
      // Under tf.grad the op scales it by dy.
      const viaTape = tf.grad((lp: tf.Tensor) =>
        tf.sum(tf.mul(ctcLoss(lp, targets, inputLengths, targetLengths, options), weights)),
      )(logProbs);
      const scaled = tf.mul(withWorkspace[1]!, tf.reshape(weights, [1, 4, 1]));
      expectArraysClose(await viaTape.data(), await scaled.data(), { atol: 1e-6 });
      tf.dispose([...withWorkspace, ...lossesOnly, reference, viaTape, scaled, logProbs, targets, weights]);
    });

    it('its logProbs gradient sums to -dy over the classes of each frame (posteriors), 0 past the input', async () => {
      // T = 3000: log space keeps the loss and the posteriors finite where probabilities underflow.
      const { logProbs, targets, weights, inputLengths, targetLengths } = randomProblem(7, {
        T: 3000,
        N: 3,
        C: 6,
        maxTarget: 400,
      });
      const [loss, grad] = tf.tidy(() => {
        const f = (lp: tf.Tensor) => ctcLoss(lp, targets, inputLengths, targetLengths, { reduction: 'none' });
        return [f(logProbs), tf.grad((lp: tf.Tensor) => tf.sum(tf.mul(f(lp), weights)))(logProbs)];
      });
      const losses = await loss!.data();
      const frames = (await tf.sum(grad!, 2).data()) as Float32Array;
      const w = await weights.data();
      for (let n = 0; n < 3; n++) {
        expect(Number.isFinite(losses[n]) && losses[n]! > 1000).toBe(true);
        const sums = Array.from({ length: 3000 }, (_, t) => frames[t * 3 + n]!);
        const expected = sums.map((_, t) => (t < inputLengths[n]! ? -w[n]! : 0));
        expectArraysClose(sums, expected, { atol: 1e-4 });
      }
      tf.dispose([loss, grad, logProbs, targets, weights]);
    });

    it('an input of length 0: loss 0 for an empty target, Infinity (0 with zeroInfinity) otherwise', async () => {
      const logProbs = tf.logSoftmax(tf.randomNormal([4, 3, 5], 0, 1, 'float32', 3));
      const targets = tf.tensor2d([0, 0, 1, 2, 3, 0], [3, 2], 'int32');
      for (const zeroInfinity of [false, true]) {
        for (const impl of [ctcLoss, ctcLossReference]) {
          const [loss, grad] = tf.tidy(() => {
            const f = (lp: tf.Tensor) =>
              impl(lp, targets, [0, 0, 4], [0, 2, 1], { reduction: 'none', zeroInfinity });
            return [f(logProbs), tf.grad((lp: tf.Tensor) => tf.sum(tf.slice(f(lp), 2, 1)))(logProbs)];
          });
          const values = await loss!.data();
          expect(Array.from(values.slice(0, 2))).toEqual([0, zeroInfinity ? 0 : Infinity]);
          expect(Number.isFinite(values[2])).toBe(true);
          const g = await grad!.data();
          expect(Array.from(g).every(Number.isFinite)).toBe(true);
          tf.dispose([loss, grad]);
        }
      }
      tf.dispose([logProbs, targets]);
    });
  },
  { backends: ['cpu', 'wasm', 'webgpu'] },
);

describeWithBackends(
  'ctcLoss without a CTC kernel',
  (backend) => {
    // cpu and webgpu with their kernels taken away.
    it("runs the composed reference: torch's losses and gradients", async () => {
      const cases = fixture.cases.filter((c) => c.T <= 12 && (!hasInfiniteLoss(c) || c.zeroInfinity));
      expect(cases.length).toBeGreaterThanOrEqual(6);
      registerCtcKernels();
      const config = backend === 'cpu' ? ctcLossCpuConfig : webgpuCtcKernelConfigs[0]!;
      tf.unregisterKernel(CTC_LOSS, backend);
      try {
        expect(tf.getKernel(CTC_LOSS, backend)).toBeUndefined();
        for (const c of cases) {
          const composed = await runCase(ctcLoss, c, FORMS[0]!);
          expectArraysClose(composed.loss, expectedLoss(c), LOSS_TOL);
          expectArraysClose(composed.grad, c.gradLogits, GRAD_TOL);
        }
      } finally {
        tf.registerKernel(config);
      }
    });
  },
  { backends: ['cpu', 'webgpu'] },
);

interface RandomProblemSize {
  T: number;
  N: number;
  C: number;
  maxTarget: number;
}

/** A seeded batch with varying lengths, repeated labels, empty targets and a random blank id. */
function randomProblem(seed: number, size: RandomProblemSize = { T: 9, N: 4, C: 5, maxTarget: 4 }) {
  const random = new SeededRandom(seed);
  const { T, N, C, maxTarget } = size;
  const blank = seed % 2 ? 0 : random.nextInt(C);
  const inputLengths = Array.from({ length: N }, (_, n) => (n === 0 ? T : 1 + random.nextInt(T)));
  // At most half the frames: every target fits, repeats and all (the reference's gradient of an
  // infinite loss is 0, the kernel's NaN).
  const targetLengths = inputLengths.map((length, n) =>
    n === 1 ? 0 : Math.min(maxTarget, random.nextInt((length >> 1) + 1)),
  );
  const labels: number[] = [];
  for (const length of targetLengths) {
    let previous = -1;
    for (let i = 0; i < length; i++) {
      // About a third of the labels repeat the one before.
      let label = previous;
      if (previous < 0 || random.nextFloat() >= 0.3) {
        label = random.nextInt(C - 1);
        if (label >= blank) label += 1;
      }
      labels.push(label);
      previous = label;
    }
  }
  const logits = Float32Array.from({ length: T * N * C }, () => 2 * random.nextNormal());
  const weights = Float32Array.from({ length: N }, () => 0.5 + random.nextFloat());
  return {
    logProbs: tf.tidy(() => tf.logSoftmax(tf.tensor3d(logits, [T, N, C]))),
    targets: tf.tensor1d(labels, 'int32'),
    weights: tf.tensor1d(weights),
    inputLengths,
    targetLengths,
    options: { blank, reduction: 'none', zeroInfinity: seed % 3 === 0 } satisfies CtcLossOptions,
  };
}
