// The CTC loss kernel, tfjs-core style: a name, its typed inputs and attrs, and one KernelConfig per
// backend that has it (cpu/, webgpu/, ...), registered by register_ctc_kernels.ts.
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The negative log-likelihood of each sequence, output 0: [N] float32 (an infinite one is 0 when
 * attrs.zeroInfinity is true). With attrs.workspace, output 1 is the gradient of each sequence's own
 * loss, d loss[n] / d logProbs [T, N, C] float32 (dy = 1; NaN for an infinite loss, 0 under
 * zeroInfinity and past a sequence's input length), which the op's gradient scales by dy.
 */
export const CTC_LOSS = 'RnnkitCtcLoss';

// Type aliases, not interfaces: tfjs's NamedTensorMap / NamedAttrMap are index signatures, which only
// object type aliases satisfy.

/** CTC_LOSS's inputs. */
export type CtcLossInputs = {
  /** [T, N, C] float32 log-probabilities. */
  logProbs: TensorInfo;
  /** int32: [N, S] padded (sequence n's labels are row n's first targetLengths[n]) or 1-D concatenated. */
  targets: TensorInfo;
};

/** CTC_LOSS's attributes. The lengths are host values, checked by the op. */
export type CtcLossAttrs = {
  /** Frames of sequence n: 0 <= inputLengths[n] <= T. */
  inputLengths: number[];
  /** Labels of sequence n (they sum to targets' length when targets is 1-D). */
  targetLengths: number[];
  /** The blank's class id, in [0, C). */
  blank: number;
  /** Infinite losses (no alignment fits) and their gradients become 0. */
  zeroInfinity: boolean;
  /**
   * True when a gradient may follow (the tape is on): the kernel also returns the gradient workspace
   * (output 1). False: it returns the losses only and skips the backward recursion.
   */
  workspace: boolean;
};

/**
 * The op's gradient: gradient [T, N, C] (CTC_LOSS's output 1) times dy [N] per sequence. Registered
 * where tf.mul's broadcast is slow (tfjs-backend-cpu computes every element's source index: ~50 ms at
 * T = 400, N = 32, C = 30, more than the loss); elsewhere the op uses tf.mul.
 */
export const CTC_SCALE_GRADIENT = 'RnnkitCtcScaleGradient';
export type CtcScaleGradientInputs = { gradient: TensorInfo; dy: TensorInfo };

/** Every CTC kernel: its inputs, its attrs and whether it returns one tensor or several. */
export interface CtcKernels {
  [CTC_LOSS]: { inputs: CtcLossInputs; attrs: CtcLossAttrs; outputs: 'many' };
  [CTC_SCALE_GRADIENT]: { inputs: CtcScaleGradientInputs; attrs: Record<string, never>; outputs: 'one' };
}
