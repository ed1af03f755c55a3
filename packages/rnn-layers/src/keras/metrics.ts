import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import { floatMask } from './float_mask.js';
import type { LossFunction, LossName } from './losses.js';

export const METRIC_NAMES = ['acc', 'accuracy'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Per-sample accuracy `[batch]` (1 right, 0 wrong). */
export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Keras's binary_accuracy: prediction > 0.5 equals the label, averaged over the last axis. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const predicted = floatMask(tf.greater(yPred, tf.fill([], 0.5)));
    return tf.mean(floatMask(tf.equal(predicted, tf.cast(yTrue, 'float32'))), -1);
  });
}

/** Keras's categorical_accuracy: argmax of prediction equals argmax of the one-hot label. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => floatMask(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1))));
}

/** Keras's sparse_categorical_accuracy: argmax of prediction equals the integer label. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const ids = tf.cast(yTrue.rank === yPred.rank ? tf.squeeze(yTrue, [-1]) : yTrue, 'int32');
    return floatMask(tf.equal(ids, tf.argMax(yPred, -1)));
  });
}

/**
 * 'acc'/'accuracy' means the accuracy that fits the loss, as in Keras: binary for
 * binary_crossentropy (and custom losses), categorical or sparse categorical for those losses.
 */
export function resolveMetric(
  metric: MetricName,
  loss: LossName | LossFunction,
  index: number,
): MetricFunction {
  if (metric !== 'acc' && metric !== 'accuracy') {
    throw new Error(`compile: metrics[${index}] must be 'acc' or 'accuracy', got ${previewValue(metric)}`);
  }
  if (loss === 'categorical_crossentropy') return categoricalAccuracy;
  if (loss === 'sparse_categorical_crossentropy') return sparseCategoricalAccuracy;
  return binaryAccuracy;
}
