import * as tf from '@tensorflow/tfjs-core';

import { checkCtcArguments, type CtcLengths, type CtcLossOptions } from './ctc_arguments.js';
import { registerCtcLossGradient } from './ctc_loss_gradient.js';
import { ctcLossFromArguments } from './ctc_loss_reference.js';
import { CTC_LOSS, type CtcLossAttrs, type CtcLossInputs } from './kernel_names.js';
import { reduceCtcLosses, type CtcLossResult } from './reduce_losses.js';
import { registerCtcKernels } from './register_ctc_kernels.js';

/**
 * The connectionist temporal classification loss, with PyTorch's `F.ctc_loss` semantics.
 *
 * - `logProbs` [T, N, C] float32: log-softmaxed scores per frame (time-major, as in PyTorch).
 * - `targets` int32: [N, S] padded (sequence n's labels are row n's first `targetLengths[n]`), or 1-D,
 *   every sequence's labels concatenated. Labels are class ids other than the blank.
 * - `inputLengths`, `targetLengths`: one per sequence (number[], Int32Array or a 1-D int32 tensor).
 *
 * Computed in log space by one kernel (cpu, wasm) with a hand-written alpha-beta gradient, so tf.grad
 * works through it; a backend without the kernel (webgpu, for now) runs the composed reference instead
 * (the same values, slower). A target that fits in no alignment gives an infinite loss with NaN
 * gradients (0 on the composed path), or 0 and a zero gradient under `zeroInfinity`. An input of
 * length 0 gives 0 for an empty target (PyTorch 1.13 reads uninitialised memory there).
 */
export function ctcLoss(
  logProbs: tf.Tensor,
  targets: tf.Tensor,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options: CtcLossOptions & { reduction: 'none' },
): tf.Tensor1D;
export function ctcLoss(
  logProbs: tf.Tensor,
  targets: tf.Tensor,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options?: CtcLossOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function ctcLoss(
  logProbs: tf.Tensor,
  targets: tf.Tensor,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options?: CtcLossOptions,
): CtcLossResult;
export function ctcLoss(
  logProbs: tf.Tensor,
  targets: tf.Tensor,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options?: CtcLossOptions,
): CtcLossResult {
  const args = checkCtcArguments('ctcLoss', logProbs, targets, inputLengths, targetLengths, options);
  registerCtcKernels();
  if (tf.getKernel(CTC_LOSS, tf.getBackend()) === undefined) return ctcLossFromArguments(logProbs, args);
  registerCtcLossGradient();
  const inputs: CtcLossInputs<tf.Tensor> = { logProbs, targets };
  const attrs: CtcLossAttrs = {
    inputLengths: args.inputLengths,
    targetLengths: args.targetLengths,
    blank: args.blank,
    zeroInfinity: args.zeroInfinity,
    // A gradient may follow: the kernel may compute it in the same pass (see CtcLossAttrs.workspace).
    ...(tf.engine().isTapeOn() ? { workspace: {} } : {}),
  };
  return tf.tidy(() => {
    const losses = tf.engine().runKernel(CTC_LOSS, inputs, attrs) as tf.Tensor1D;
    return reduceCtcLosses(losses, args.targetLengths, args.reduction);
  });
}
