import * as tf from '@tensorflow/tfjs-core';

/**
 * Softmax over the last axis of scores [batch, tgtLen, srcLen] with invalid source positions set to -inf
 * first, as PyTorch's masked_fill(-inf): exp(-inf) = 0, so padding gets exactly zero weight and zero
 * gradient. mask [batch, srcLen] (bool) or null for none.
 */
export function maskedSoftmax(scores: tf.Tensor3D, mask: tf.Tensor2D | null): tf.Tensor3D {
  if (mask === null) return tf.softmax(scores);
  return tf.tidy(() => {
    const valid = tf.broadcastTo(tf.expandDims(mask, 1), scores.shape);
    const filled = tf.where(valid, scores, tf.fill(scores.shape, -Infinity));
    return tf.softmax(filled);
  });
}
