import * as tf from '@tensorflow/tfjs-core';

import type { CellKind } from './cell_kind.js';
import { denseMatMul } from './dense_mat_mul.js';
import type { RecurrentWeights } from './sequence_types.js';

/**
 * The input projection for every time step as ONE matmul: [time*batch, input] x weightIh^T. For
 * LSTM and RNN both biases are folded in here; GRU's biasHh stays in the recurrence because the reset
 * gate multiplies it (n = tanh(W_in x + b_in + r * (W_hn h + b_hn))).
 */
export function inputProjection(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  fused: boolean,
): tf.Tensor {
  return tf.tidy(() => {
    const [time, batch, inputSize] = x.shape as [number, number, number];
    const x2d = tf.reshape(x, [time * batch, inputSize]);
    const bias =
      weights.biasIh === undefined
        ? undefined
        : cell === 'gru'
          ? weights.biasIh
          : tf.add(weights.biasIh, weights.biasHh!);
    // Fused path: rnnkit's dense kernel with the bias inside; reference: plain tfjs-core ops.
    if (fused) return denseMatMul(x2d, weights.weightIh, false, true, bias);
    const xp = tf.matMul(x2d, weights.weightIh, false, true);
    return bias === undefined ? xp : tf.add(xp, bias);
  });
}
