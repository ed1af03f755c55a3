import * as tf from '@tensorflow/tfjs-core';
import { wasmInternals } from '@rnnkit/rnn-layers/internal';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { afterEach, expect, it } from 'vitest';

import { ctcLossAndGradient, labelOffsets } from '../cpu/ctc_loss_js.js';
import { runKernel } from '../kernel_config.js';
import { CTC_LOSS, type CtcLossAttrs } from '../kernel_names.js';
import { registerCtcKernels } from '../register_ctc_kernels.js';
import { ctcLossWasmSimdConfig } from './ctc_loss_wasm.js';
import { ctcSimd, setCtcSimdEnabled } from './ctc_simd.js';

// The SIMD kernel (float32, rows relative to per-frame offsets) against the plain-JS kernel (float64)
// on the cases the torch fixtures do not reach: long inputs, peaked and -Infinity log-probabilities,
// tight and impossible alignments, NaN, every class count modulo 4. ctc_loss.test.ts runs the torch
// fixtures on wasm through this kernel (the first test below checks that it is the one registered).

interface Problem {
  T: number;
  N: number;
  C: number;
  logProbs: Float32Array;
  labels: Int32Array;
  inputLengths: number[];
  targetLengths: number[];
  blank: number;
  zeroInfinity: boolean;
}

interface ProblemSize {
  T: number;
  N: number;
  C: number;
  maxTarget: number;
  /** Standard deviation of the logits (large: peaked distributions, log-probabilities in the hundreds). */
  scale?: number;
  blank?: number;
  zeroInfinity?: boolean;
}

/** A seeded batch: lengths from 0 to T, targets up to the tightest fit (repeats included) and beyond. */
function randomProblem(seed: number, size: ProblemSize): Problem {
  const random = new SeededRandom(seed);
  const { T, N, C, maxTarget, scale = 2, blank = random.nextInt(C), zeroInfinity = false } = size;
  const inputLengths = Array.from({ length: N }, (_, n) =>
    n === 0 ? T : n === 1 ? 0 : random.nextInt(T + 1),
  );
  const targetLengths = inputLengths.map((length, n) =>
    n === 2 ? 0 : Math.min(maxTarget, random.nextInt(Math.max(1, length + 2))),
  );
  const labels: number[] = [];
  for (const length of targetLengths) {
    for (let i = 0; i < length; i++) {
      // About a quarter of the labels repeat the one before (each repeat needs a blank between).
      const previous = labels.length > 0 && i > 0 ? labels.at(-1)! : -1;
      let label = previous >= 0 && random.nextFloat() < 0.25 ? previous : random.nextInt(C - 1);
      if (label !== previous && label >= blank) label += 1;
      labels.push(label);
    }
  }
  const logits = Float32Array.from({ length: T * N * C }, () => scale * random.nextNormal());
  const logProbs = tf.tidy(() => tf.logSoftmax(tf.tensor3d(logits, [T, N, C])).dataSync() as Float32Array);
  return {
    T,
    N,
    C,
    logProbs,
    labels: Int32Array.from(labels),
    inputLengths,
    targetLengths,
    blank,
    zeroInfinity,
  };
}

/** Losses and gradient by the registered wasm kernel and by the plain-JS one, in float64. */
function bothKernels(p: Problem) {
  const logProbs = tf.tensor3d(p.logProbs, [p.T, p.N, p.C]);
  const targets = tf.tensor1d(p.labels, 'int32');
  const attrs: CtcLossAttrs = {
    inputLengths: p.inputLengths,
    targetLengths: p.targetLengths,
    blank: p.blank,
    zeroInfinity: p.zeroInfinity,
    workspace: true,
  };
  const [nll, gradient] = runKernel(CTC_LOSS, { logProbs, targets }, attrs);
  const [lossOnly] = runKernel(CTC_LOSS, { logProbs, targets }, { ...attrs, workspace: false });
  const wasm = {
    nll: nll!.dataSync() as Float32Array,
    gradient: gradient!.dataSync() as Float32Array,
    lossOnly: lossOnly!.dataSync() as Float32Array,
  };
  tf.dispose([logProbs, targets, nll, gradient, lossOnly]);
  const js = ctcLossAndGradient({
    ...p,
    labelOffsets: labelOffsets(p.targetLengths, 0),
  });
  return { wasm, js };
}

function expectAgreement(p: Problem, gradientTolerance = 1e-5) {
  const { wasm, js } = bothKernels(p);
  expectArraysClose(wasm.nll, js.nll, { atol: 1e-4, rtol: 1e-6 });
  expect(Array.from(wasm.lossOnly)).toEqual(Array.from(wasm.nll));
  expectArraysClose(wasm.gradient, js.gradient, { atol: gradientTolerance });
  return { wasm, js };
}

describeWithBackends(
  'ctcLoss wasm SIMD kernel',
  () => {
    afterEach(() => setCtcSimdEnabled(true));

    it('is the CTC_LOSS kernel registered for wasm, with its SIMD module', () => {
      registerCtcKernels();
      expect(tf.getKernel(CTC_LOSS, 'wasm')?.kernelFunc).toBe(ctcLossWasmSimdConfig.kernelFunc);
      expect(ctcSimd(wasmInternals(tf.backend()))).not.toBeNull();
    });

    it('equals the float64 JS kernel on random batches (every C mod 4, blanks anywhere, lengths 0 to T)', () => {
      registerCtcKernels();
      for (let seed = 1; seed <= 12; seed++) {
        const C = 2 + (seed % 9);
        expectAgreement(randomProblem(seed, { T: 40, N: 7, C, maxTarget: 25, zeroInfinity: seed % 2 === 0 }));
      }
    });

    // Float32 rows drift by rounding over thousands of frames: |error| ~1e-4 at T = 3000 on random
    // logits (PyTorch's float32 CPU kernel, absolute alphas in float32, errs by ~7e-3 on such sizes).
    it('stays within 2e-4 of float64 over long inputs (T = 3000) with long targets', () => {
      registerCtcKernels();
      const p = randomProblem(21, { T: 3000, N: 4, C: 9, maxTarget: 1, blank: 0 });
      p.inputLengths = [3000, 2999, 2500, 3000];
      p.targetLengths = [700, 500, 1000, 300];
      const { wasm } = expectAgreement({ ...p, labels: retarget(p, 22) }, 2e-4);
      expect(wasm.nll.every((v) => Number.isFinite(v) && v > 1000)).toBe(true);
    });

    it('handles peaked distributions, -Infinity log-probabilities and NaN like the JS kernel', () => {
      registerCtcKernels();
      // Logits with standard deviation 30: per-frame log-probabilities down to about -200.
      expectAgreement(randomProblem(31, { T: 60, N: 6, C: 7, maxTarget: 30, scale: 30 }));
      // A class that never occurs (log-probability -Infinity) in half the frames.
      const p = randomProblem(32, { T: 50, N: 5, C: 6, maxTarget: 20, blank: 0 });
      for (let t = 0; t < p.T; t += 2)
        for (let n = 0; n < p.N; n++) p.logProbs[(t * p.N + n) * p.C + 3] = -Infinity;
      expectAgreement(p);
      // NaN in one sequence's frames: that sequence's loss and gradient are NaN, the others' are not.
      const q = randomProblem(33, { T: 30, N: 4, C: 5, maxTarget: 10, blank: 0 });
      q.inputLengths[3] = 30;
      q.targetLengths[3] = Math.max(1, q.targetLengths[3]!);
      q.labels = retarget(q, 34);
      q.logProbs[(10 * q.N + 3) * q.C + q.blank] = NaN;
      const { wasm, js } = bothKernels(q);
      const others = (v: ArrayLike<number>, width: number) =>
        Array.from(v).filter((_, i) => Math.floor(i / width) % q.N !== 3);
      expectArraysClose(others(wasm.nll, 1), others(js.nll, 1), { atol: 1e-4, rtol: 1e-6 });
      expectArraysClose(others(wasm.gradient, q.C), others(js.gradient, q.C), { atol: 1e-5 });
      expect([wasm.nll[3], wasm.lossOnly[3], js.nll[3]].every(Number.isNaN)).toBe(true);
      // Every class of its frames (the JS kernel's classes outside the band stay -0).
      const nanRows = Array.from(wasm.gradient).filter((_, i) => Math.floor(i / q.C) % q.N === 3);
      expect(nanRows.every(Number.isNaN)).toBe(true);
    });

    it('tight alignments fit and one frame fewer does not (repeats need a blank between)', () => {
      registerCtcKernels();
      // Targets of length L with r repeats need L + r frames.
      const labels = [1, 1, 2, 2, 2, 3, 1, 4, 4, 1, 2, 3];
      const repeats = labels.filter((l, i) => i > 0 && l === labels[i - 1]).length;
      const need = labels.length + repeats;
      for (const zeroInfinity of [false, true]) {
        const T = need + 1;
        const p = randomProblem(41, { T, N: 4, C: 5, maxTarget: 1, blank: 0, zeroInfinity });
        p.inputLengths = [need, need - 1, need + 1, 1];
        p.targetLengths = [labels.length, labels.length, labels.length, 1];
        p.labels = Int32Array.from([...labels, ...labels, ...labels, 4]);
        const { wasm } = expectAgreement(p);
        expect(Number.isFinite(wasm.nll[0])).toBe(true);
        expect(wasm.nll[1]).toBe(zeroInfinity ? 0 : Infinity);
      }
    });

    it('without SIMD the plain-JS kernel serves, with the same results', () => {
      registerCtcKernels();
      const p = randomProblem(51, { T: 30, N: 5, C: 6, maxTarget: 12 });
      const simd = bothKernels(p).wasm;
      setCtcSimdEnabled(false);
      const plain = bothKernels(p).wasm;
      expectArraysClose(simd.nll, plain.nll, { atol: 1e-4, rtol: 1e-6 });
      expectArraysClose(simd.gradient, plain.gradient, { atol: 1e-5 });
    });

    it('leaves no tensors and no wasm memory behind', async () => {
      registerCtcKernels();
      const p = randomProblem(61, { T: 200, N: 8, C: 12, maxTarget: 40 });
      bothKernels(p); // warm up: the heap's first growth is not a leak
      const heap = wasmInternals(tf.backend()).wasm.HEAPF32.length;
      await expectNoTensorLeak(() => {
        for (let i = 0; i < 20; i++) bothKernels(p);
      }, 'wasm CTC kernel');
      expect(wasmInternals(tf.backend()).wasm.HEAPF32.length).toBe(heap);
    });
  },
  { backends: ['wasm'] },
);

/** New labels for p's target lengths (fresh ones after a length was changed), no blank among them. */
function retarget(p: Problem, seed: number): Int32Array {
  const random = new SeededRandom(seed);
  const total = p.targetLengths.reduce((a, b) => a + b, 0);
  return Int32Array.from({ length: total }, () => {
    const label = random.nextInt(p.C - 1);
    return label >= p.blank ? label + 1 : label;
  });
}
