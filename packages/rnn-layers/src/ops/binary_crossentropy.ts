import * as tf from '@tensorflow/tfjs-core';

import { runKernel } from './kernel_config.js';
import {
  BINARY_CROSSENTROPY,
  BINARY_CROSSENTROPY_GRAD,
  type BinaryCrossentropyAttrs,
} from './kernel_names.js';
import { registerRnnLayersKernels } from './register_rnn_layers_kernels.js';

// The fused binary cross-entropy op (BINARY_CROSSENTROPY) and its gradient, for the backends that
// register the kernels (webgpu). Labels get a zero gradient: they are data, not parameters.

let gradientRegistered = false;

function registerGradient(): void {
  if (gradientRegistered) return;
  if (tf.getGradient(BINARY_CROSSENTROPY) === undefined) {
    tf.registerGradient({
      kernelName: BINARY_CROSSENTROPY,
      inputsToSave: ['yTrue', 'yPred'],
      gradFunc: (dy, saved, attrs) => {
        const [yTrue, yPred] = saved as [tf.Tensor, tf.Tensor];
        return {
          yTrue: () => tf.zerosLike(yTrue),
          yPred: () =>
            runKernel(
              BINARY_CROSSENTROPY_GRAD,
              { yTrue, yPred, dy: dy as tf.Tensor },
              attrs as BinaryCrossentropyAttrs,
            ),
        };
      },
    });
  }
  gradientRegistered = true;
}

/**
 * Per-row loss −mean(y·log p + (1 − y)·log(1 − p)) over the last axis, p clipped to [ε, 1 − ε], as
 * one kernel, or null where the active backend has none or the inputs do not fit it (same shapes,
 * float32, rank ≥ 1): then the caller composes it from tfjs-core ops.
 */
export function fusedBinaryCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  epsilon: number,
): tf.Tensor | null {
  registerRnnLayersKernels();
  if (tf.getKernel(BINARY_CROSSENTROPY, tf.getBackend()) === undefined) return null;
  if (
    yPred.rank < 1 ||
    yPred.dtype !== 'float32' ||
    yTrue.dtype !== 'float32' ||
    !tf.util.arraysEqual(yTrue.shape, yPred.shape)
  )
    return null;
  registerGradient();
  return runKernel(BINARY_CROSSENTROPY, { yTrue, yPred }, { epsilon });
}
