// Kernel names, inputs and attributes of the CTC loss op, registered per backend like tfjs-core's kernels.
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Forward: the negative log-likelihood of each sequence, output [N] float32 (an infinite one is 0 when
 * attrs.zeroInfinity is true).
 */
export const CTC_LOSS = 'RnnkitCtcLoss';
/** Backward: d(sum_n dy[n] * loss[n]) / d logProbs, output [T, N, C] float32. */
export const CTC_LOSS_GRAD = 'RnnkitCtcLossGrad';

// Type aliases, not interfaces: tfjs's NamedTensorMap / NamedAttrMap are index signatures, which only
// object type aliases satisfy.

/** CTC_LOSS's inputs (tensors when the op passes them, TensorInfos when a kernel receives them). */
export type CtcLossInputs<T = TensorInfo> = {
  /** [T, N, C] float32 log-probabilities. */
  logProbs: T;
  /** int32: [N, S] padded (sequence n's labels are row n's first targetLengths[n]) or 1-D concatenated. */
  targets: T;
};

/** CTC_LOSS_GRAD's inputs: CTC_LOSS's plus the gradient of the loss per sequence. */
export type CtcLossGradInputs<T = TensorInfo> = CtcLossInputs<T> & {
  /** [N] float32. */
  dy: T;
};

/** The attributes of both kernels. The lengths are host values, checked by the op. */
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
   * Set (to a fresh empty object) when a gradient may follow, i.e. the tape is on. A forward kernel may
   * then compute the gradient in its own pass over alpha and keep it under this object for
   * CTC_LOSS_GRAD, which receives the same attrs and only scales it by dy; without it CTC_LOSS_GRAD
   * computes alpha and beta itself. Keyed by the object (tfjs hands the kernel and the gradient the
   * same attrs), it is freed with the tape.
   */
  workspace?: NamedAttrMap;
};

/** The attributes as tfjs hands them to a kernel or gradient (a NamedAttrMap), typed again. */
export function ctcLossAttrs(attrs: Record<string, unknown> | undefined): CtcLossAttrs {
  return {
    inputLengths: (attrs?.['inputLengths'] as number[] | undefined) ?? [],
    targetLengths: (attrs?.['targetLengths'] as number[] | undefined) ?? [],
    blank: (attrs?.['blank'] as number | undefined) ?? 0,
    zeroInfinity: attrs?.['zeroInfinity'] === true,
    ...(typeof attrs?.['workspace'] === 'object' && attrs['workspace'] !== null
      ? { workspace: attrs['workspace'] as NamedAttrMap }
      : {}),
  };
}
