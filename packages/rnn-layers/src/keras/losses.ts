import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import { fusedBinaryCrossentropy } from '../ops/binary_crossentropy.js';

/** Keras's backend epsilon (1e-7): probabilities are clipped to [ε, 1 − ε] before the log. */
export const KERAS_EPSILON = 1e-7;

export const LOSS_NAMES = [
  'binary_crossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'mse',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** Per-sample loss: `(yTrue, yPred) → [batch]`. `Sequential` averages it over the batch, as Keras does. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Keras's binary_crossentropy on probabilities: clip to [ε, 1 − ε], then
 * −(y·log p + (1 − y)·log(1 − p)), averaged over the last axis. One kernel each way where the backend
 * has it (webgpu), else `binaryCrossentropyReference`.
 */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(
    () =>
      fusedBinaryCrossentropy(tf.cast(yTrue, 'float32'), yPred, KERAS_EPSILON) ??
      binaryCrossentropyReference(yTrue, yPred),
  );
}

/** binary_crossentropy composed of tfjs-core ops (autodiff gradients): the fallback and the oracle. */
export function binaryCrossentropyReference(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.clipByValue(yPred, KERAS_EPSILON, 1 - KERAS_EPSILON);
    const y = tf.cast(yTrue, 'float32');
    const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll, -1));
  });
}

/** Keras's categorical_crossentropy on probabilities: renormalise, clip, −Σ y·log p over the last axis. */
export function categoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), KERAS_EPSILON, 1 - KERAS_EPSILON);
    return tf.neg(tf.sum(tf.mul(tf.cast(yTrue, 'float32'), tf.log(p)), -1));
  });
}

/** Keras's sparse_categorical_crossentropy: integer class ids `[batch]` (or `[batch, 1]`) against probabilities. */
export function sparseCategoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const classes = yPred.shape[yPred.shape.length - 1];
    if (classes === undefined)
      throw new Error('sparseCategoricalCrossentropy: yPred must be probabilities [batch, ..., classes]');
    const ids = tf.cast(yTrue.rank === yPred.rank ? tf.squeeze(yTrue, [-1]) : yTrue, 'int32');
    return categoricalCrossentropy(tf.oneHot(ids, classes), yPred);
  });
}

/** Mean squared error over the last axis. */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.squaredDifference(yPred, tf.cast(yTrue, 'float32')), -1));
}

const LOSSES: Record<LossName, LossFunction> = {
  binary_crossentropy: binaryCrossentropy,
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  mse: meanSquaredError,
};

export function resolveLoss(loss: LossName | LossFunction): LossFunction {
  if (typeof loss === 'function') return loss;
  if (typeof loss === 'string' && loss in LOSSES) return LOSSES[loss as LossName];
  throw new Error(
    `compile: loss must be one of ${LOSS_NAMES.join(', ')} or a function (yTrue, yPred) => Tensor, got ${previewValue(loss)}`,
  );
}
