import type * as tf from '@tensorflow/tfjs-core';

/** The source padding of `apply`: give one of the two (neither: every source position is valid). */
export interface AttentionApplyOptions {
  /** Valid source positions per sequence, each in [1, keys.shape[1]]; the rest is padding. */
  keyLengths?: readonly number[] | Int32Array;
  /** [batch, srcLen], true (or non-zero) where the source position is valid. */
  mask?: tf.Tensor;
}

/** What an attention module returns; the caller owns both tensors. */
export interface AttentionResult {
  /** [batch, tgtLen, keySize]: the attention-weighted sums of the values. */
  context: tf.Tensor3D;
  /** [batch, tgtLen, srcLen]: softmax over the valid source positions, exactly 0 on padding. */
  weights: tf.Tensor3D;
}
