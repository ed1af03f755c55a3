import * as tf from '@tensorflow/tfjs-core';

export interface SequenceCrossEntropyOptions {
  /** Targets equal to this id add nothing to the loss or the count; default -100 (PyTorch's). */
  ignoreIndex?: number;
  /** In [0, 1): mixes the one-hot target with the uniform distribution; default 0. */
  labelSmoothing?: number;
}

/**
 * PyTorch's CrossEntropyLoss(ignore_index, label_smoothing, reduction='mean') over logits
 * [batch, tgtLen, vocab] and int32 targets [batch, tgtLen]: per position
 * (1 - ε)·(−log p_target) + (ε / V)·Σ_c(−log p_c), averaged over the positions not ignored.
 */
export function sequenceCrossEntropy(
  logits: tf.Tensor3D,
  targets: tf.Tensor2D,
  options: SequenceCrossEntropyOptions = {},
): tf.Scalar {
  const fn = 'sequenceCrossEntropy';
  const ignoreIndex = options.ignoreIndex ?? -100;
  const eps = options.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 1))
    throw new Error(`${fn}: options.labelSmoothing must be in [0, 1), got ${String(eps)}`);
  if (!Number.isInteger(ignoreIndex))
    throw new Error(`${fn}: options.ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  if (!(logits instanceof tf.Tensor) || logits.rank !== 3)
    throw new Error(`${fn}: logits must be a [batch, tgtLen, vocab] tensor`);
  if (!(targets instanceof tf.Tensor) || targets.rank !== 2 || targets.dtype !== 'int32')
    throw new Error(`${fn}: targets must be a [batch, tgtLen] int32 tensor`);
  const [batch, tgtLen, vocab] = logits.shape;
  if (targets.shape[0] !== batch || targets.shape[1] !== tgtLen)
    throw new Error(
      `${fn}: targets has shape [${targets.shape.join(', ')}], expected [${batch}, ${tgtLen}] (logits are [${logits.shape.join(', ')}])`,
    );
  return tf.tidy(() => {
    const flatTargets = tf.reshape(targets, [-1]) as tf.Tensor1D;
    const valid = tf.notEqual(flatTargets, ignoreIndex);
    const safe = tf.where(valid, flatTargets, tf.zerosLike(flatTargets)) as tf.Tensor1D;
    const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, vocab]));
    const nll = tf.neg(tf.sum(tf.mul(logProbs, tf.oneHot(safe, vocab)), 1));
    let perPosition = nll;
    if (eps > 0) {
      const uniform = tf.div(tf.neg(tf.sum(logProbs, 1)), vocab);
      perPosition = tf.add(tf.mul(nll, 1 - eps), tf.mul(uniform, eps));
    }
    const weight = tf.cast(valid, 'float32');
    return tf.div(tf.sum(tf.mul(perPosition, weight)), tf.sum(weight)) as tf.Scalar;
  });
}
