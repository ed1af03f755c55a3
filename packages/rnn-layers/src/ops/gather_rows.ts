import * as tf from '@tensorflow/tfjs-core';

import { runKernel } from './kernel_config.js';
import { GATHER_ROWS } from './kernel_names.js';
import { registerRnnLayersKernels } from './register_rnn_layers_kernels.js';

/**
 * tf.gather(x, indices) for a 2-D float32 x and 1-D int32 indices: rnnkit's GATHER_ROWS kernel where
 * one is registered (cpu, wasm: a row copy, 20–60x faster than their GatherV2 for embedding-sized
 * rows), tf.gather elsewhere. It has no gradient of its own: callers wrap it in tf.customGrad (the
 * embedding lookup, the Keras-masking permutations), whose gradients are scatters or gathers again.
 */
export function gatherRows(x: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  registerRnnLayersKernels();
  if (
    x.rank === 2 &&
    x.dtype === 'float32' &&
    indices.rank === 1 &&
    indices.dtype === 'int32' &&
    tf.getKernel(GATHER_ROWS, tf.getBackend()) !== undefined
  ) {
    return runKernel(GATHER_ROWS, { x, indices }, {});
  }
  return tf.gather(x, indices);
}
