import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import { rmsprop } from './fused_rmsprop.js';
import { KerasAdam } from './keras_adam.js';

export const OPTIMIZER_NAMES = ['rmsprop', 'adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * An optimizer by Keras name with Keras's defaults: RMSprop(lr 0.001, rho 0.9, ε 1e-7),
 * Adam(lr 0.001, β 0.9/0.999, ε 1e-7), SGD(lr 0.01). tfjs-core's RMSprop and Adam follow the
 * same RMSprop rule as Keras (lr·g/√(v + ε), ε inside the root, unlike PyTorch); Adam is
 * `KerasAdam`, because tfjs-core's Adam places ε as PyTorch does. RMSprop is tfjs-core's with one
 * fused kernel per variable where the backend has it (`FusedRMSPropOptimizer`).
 */
export function resolveOptimizer(optimizer: OptimizerName | tf.Optimizer): tf.Optimizer {
  if (isOptimizer(optimizer)) return optimizer;
  switch (optimizer) {
    case 'rmsprop':
      return rmsprop(0.001, 0.9, 0, 1e-7);
    case 'adam':
      return new KerasAdam(0.001, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(0.01);
    default:
      throw new Error(
        `compile: optimizer must be one of ${OPTIMIZER_NAMES.join(', ')} or a tf.Optimizer, got ${previewValue(optimizer)}`,
      );
  }
}

/** Duck-typed, so an optimizer from another copy of tfjs-core (ESM vs CommonJS build) is accepted too. */
export function isOptimizer(value: unknown): value is tf.Optimizer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as tf.Optimizer).applyGradients === 'function'
  );
}
