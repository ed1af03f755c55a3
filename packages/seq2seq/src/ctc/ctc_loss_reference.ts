import * as tf from '@tensorflow/tfjs-core';

import {
  checkCtcArguments,
  type CtcArguments,
  type CtcLengths,
  type CtcLossOptions,
} from './ctc_arguments.js';
import { reduceCtcLosses, type CtcLossResult } from './reduce_losses.js';

// The CTC loss composed of tfjs-core ops, differentiated by tfjs's autodiff: the oracle the kernels are
// tested against, and the fallback on backends without a CTC kernel. One small op chain per frame, so
// it suits short inputs. -Infinity would turn logSumExp and its gradient into NaN (-inf - -inf): a
// finite floor far below any real log-probability stands for it.
const NEG = -1e30;

/** ctcLoss on checked arguments, composed of tfjs-core ops. */
export function ctcLossFromArguments(logProbs: tf.Tensor, args: CtcArguments): CtcLossResult {
  const { T, N, C, blank, inputLengths, targetLengths, labels, labelOffsets, zeroInfinity } = args;
  const W = 2 * Math.max(0, ...targetLengths) + 1;
  // Extended labels (blank, l1, blank, ..., blank) per sequence, as masks and a one-hot [N, C, W] that
  // picks each state's log-probability out of the C classes.
  const oneHot = new Float32Array(N * C * W);
  const valid = new Uint8Array(N * W);
  const first = new Uint8Array(N * W);
  const skip = new Uint8Array(N * W);
  const last = new Uint8Array(N * W);
  // Whether an alignment fits is known on the host (L labels plus a blank between repeats), so no mask
  // depends on the log-probabilities (tfjs has no gradient for comparisons).
  const fits = new Uint8Array(N);
  const noFrames = new Uint8Array(N);
  const noFramesLoss = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const L = targetLengths[n] ?? 0;
    const offset = labelOffsets[n] ?? 0;
    const label = (s: number) => (s & 1 ? (labels[offset + (s >> 1)] ?? blank) : blank);
    for (let s = 0; s < 2 * L + 1; s++) {
      const i = n * W + s;
      oneHot[(n * C + label(s)) * W + s] = 1;
      valid[i] = 1;
      first[i] = s < 2 ? 1 : 0;
      skip[i] = s & 1 && s > 1 && label(s) !== label(s - 2) ? 1 : 0;
      last[i] = s >= 2 * L - 1 ? 1 : 0;
    }
    let needed = L;
    for (let i = 1; i < L; i++) if (label(2 * i + 1) === label(2 * i - 1)) needed++;
    fits[n] = needed <= (inputLengths[n] ?? 0) ? 1 : 0;
    if (inputLengths[n] === 0) {
      noFrames[n] = 1;
      noFramesLoss[n] = L === 0 ? 0 : zeroInfinity ? 0 : Infinity;
    }
  }
  return tf.tidy(() => {
    const mask = (values: Uint8Array) => tf.tensor2d(values, [N, W], 'bool');
    const neg = tf.fill([N, W], NEG);
    const shifted = (x: tf.Tensor2D, by: number): tf.Tensor2D =>
      W > by ? tf.concat([tf.fill([N, by], NEG), tf.slice(x, [0, 0], [N, W - by])], 1) : (neg as tf.Tensor2D);
    const validMask = mask(valid);
    const skipMask = mask(skip);
    let logLikelihood: tf.Tensor1D;
    if (T === 0) {
      logLikelihood = tf.fill([N], NEG) as tf.Tensor1D;
    } else {
      const emissions = tf.matMul(tf.transpose(logProbs, [1, 0, 2]), tf.tensor3d(oneHot, [N, C, W])); // [N, T, W]
      const frames = tf.unstack(emissions, 1) as tf.Tensor2D[];
      let alpha = tf.where(mask(first), frames[0] as tf.Tensor2D, neg) as tf.Tensor2D;
      for (let t = 1; t < T; t++) {
        const paths = tf.stack([alpha, shifted(alpha, 1), tf.where(skipMask, shifted(alpha, 2), neg)]);
        const next = tf.where(validMask, tf.add(tf.logSumExp(paths, 0), frames[t] as tf.Tensor2D), neg);
        const active = tf.tensor2d(
          Array.from({ length: N }, (_, n) => (t < (inputLengths[n] ?? 0) ? 1 : 0)),
          [N, 1],
          'bool',
        );
        alpha = tf.where(active, next, alpha) as tf.Tensor2D;
      }
      logLikelihood = tf.logSumExp(tf.where(mask(last), alpha, neg), 1) as tf.Tensor1D;
    }
    const impossible = tf.fill([N], zeroInfinity ? 0 : Infinity);
    const losses = tf.where(tf.tensor1d(fits, 'bool'), tf.neg(logLikelihood), impossible);
    const withEmpty = tf.where(tf.tensor1d(noFrames, 'bool'), tf.tensor1d(noFramesLoss), losses);
    return reduceCtcLosses(withEmpty as tf.Tensor1D, targetLengths, args.reduction);
  });
}

/**
 * ctcLoss (same arguments, same checks) composed of tfjs-core ops and differentiated by autodiff: the
 * reference the fused kernels are tested against. Its gradient for an infinite loss is 0, not NaN.
 */
export function ctcLossReference(
  logProbs: tf.Tensor,
  targets: tf.Tensor,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options?: CtcLossOptions,
): CtcLossResult {
  const args = checkCtcArguments('ctcLossReference', logProbs, targets, inputLengths, targetLengths, options);
  return ctcLossFromArguments(logProbs, args);
}
