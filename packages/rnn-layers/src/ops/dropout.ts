import * as tf from '@tensorflow/tfjs-core';

import { dropoutMask, pcgHash } from './dropout_hash.js';
import { runKernel } from './kernel_config.js';
import { DROPOUT, type DropoutAttrs } from './kernel_names.js';
import { registerRnnLayersKernels } from './register_rnn_layers_kernels.js';

let gradientRegistered = false;

function registerGradient(): void {
  if (gradientRegistered) return;
  if (tf.getGradient(DROPOUT) === undefined) {
    tf.registerGradient({
      kernelName: DROPOUT,
      gradFunc: (dy, _saved, attrs) => ({
        x: () => runKernel(DROPOUT, { x: dy as tf.Tensor }, attrs as DropoutAttrs),
      }),
    });
  }
  gradientRegistered = true;
}

/**
 * Inverted dropout: each element of `x` zeroed with probability `rate`, the others scaled by
 * 1 / (1 − rate). The mask is a function of `key` and the element's index (dropout_hash.ts), the same
 * on every backend. Where the backend has the kernel (webgpu) it is drawn on the device, forward and
 * backward, and never uploaded; elsewhere it is built on the host.
 */
export function seededDropout(x: tf.Tensor, rate: number, key: number): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`seededDropout: rate must be in [0, 1), got ${rate}`);
  registerRnnLayersKernels();
  if (x.dtype === 'float32' && tf.getKernel(DROPOUT, tf.getBackend()) !== undefined) {
    registerGradient();
    return runKernel(DROPOUT, { x }, { rate, base: pcgHash(key >>> 0) });
  }
  return tf.tidy(() => tf.mul(x, tf.tensor(dropoutMask(x.size, rate, key), x.shape)));
}
