import * as tf from '@tensorflow/tfjs-core';
import { runOpWithWorkspace } from '@rnnkit/tensor-core/internal';

import {
  checkCtcArguments,
  type CtcArguments,
  type CtcLengths,
  type CtcLossOptions,
} from './ctc_arguments.js';
import { ctcLossFromArguments } from './ctc_loss_reference.js';
import { runKernel } from './kernel_config.js';
import { CTC_LOSS, CTC_SCALE_GRADIENT, type CtcLossAttrs } from './kernel_names.js';
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
 * Computed in log space by one kernel (cpu, wasm, webgpu) with a hand-written alpha-beta gradient, so
 * tf.grad works through it; a backend without the kernel runs the composed reference instead (the same
 * values, slower). A target that fits in no alignment gives an infinite loss with NaN
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
  return tf.tidy(() =>
    reduceCtcLosses(ctcLossKernelOp(logProbs, targets, args), args.targetLengths, args.reduction),
  );
}

/**
 * CTC_LOSS as one differentiable op whose only output is the losses [N]. When a gradient may follow,
 * the kernel also returns each sequence's own gradient d loss[n] / d logProbs from the same pass: it is
 * saved for the op's gradient, which scales it by dy, and freed with the tape. As a second output on
 * the tape it would be filled with zeros on the host at every backward pass.
 */
function ctcLossKernelOp(logProbs: tf.Tensor, targets: tf.Tensor, args: CtcArguments): tf.Tensor1D {
  // Read here: inside the op's forward function the engine reports the tape off.
  const workspace = tf.engine().isTapeOn();
  const attrs: CtcLossAttrs = {
    inputLengths: args.inputLengths,
    targetLengths: args.targetLengths,
    blank: args.blank,
    zeroInfinity: args.zeroInfinity,
    workspace,
  };
  const [losses] = runOpWithWorkspace({
    name: `${CTC_LOSS}Op`,
    inputs: { logProbs, targets },
    forward: () => {
      const [nll, gradient] = runKernel(CTC_LOSS, { logProbs, targets }, attrs);
      if (nll === undefined || (workspace && gradient === undefined))
        throw new Error(`ctcLoss: the ${tf.getBackend()} ${CTC_LOSS} kernel returned too few outputs`);
      return { outputs: [nll], saved: workspace && gradient !== undefined ? [gradient] : [] };
    },
    gradient: ([dy], [gradient]) => ({
      // NaN rows (an infinite loss without zeroInfinity) stay NaN, as in PyTorch.
      logProbs: () => scaleGradient(gradient as tf.Tensor, dy as tf.Tensor, args.N),
      // Labels, not parameters.
      targets: () => tf.zeros(targets.shape),
    }),
  });
  return losses as tf.Tensor1D;
}

/** gradient [T, N, C] times dy [N] per sequence: CTC_SCALE_GRADIENT where registered (cpu), else tf.mul. */
function scaleGradient(gradient: tf.Tensor, dy: tf.Tensor, N: number): tf.Tensor {
  if (tf.getKernel(CTC_SCALE_GRADIENT, tf.getBackend()) !== undefined)
    return runKernel(CTC_SCALE_GRADIENT, { gradient, dy }, {});
  return tf.mul(gradient, tf.reshape(dy, [1, N, 1]));
}
