import * as tf from '@tensorflow/tfjs-core';

import type { CtcReduction } from './ctc_arguments.js';

/** What ctcLoss returns: a scalar ('mean', 'sum') or one loss per sequence ('none'). */
export type CtcLossResult = tf.Scalar | tf.Tensor1D;

/**
 * PyTorch's reductions of F.ctc_loss: 'mean' divides each loss by its target length clamped to at
 * least 1 (an empty target would divide by 0), then averages over the batch. Call inside a tidy.
 */
export function reduceCtcLosses(
  losses: tf.Tensor1D,
  targetLengths: readonly number[],
  reduction: CtcReduction,
): CtcLossResult {
  if (reduction === 'none') return losses;
  if (reduction === 'sum') return tf.sum(losses);
  const divisors = tf.tensor1d(targetLengths.map((length) => Math.max(length, 1)));
  return tf.mean(tf.div(losses, divisors));
}
