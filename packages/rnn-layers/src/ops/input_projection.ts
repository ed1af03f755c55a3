import * as tf from '@tensorflow/tfjs-core';

import type { CellKind } from './cell_kind.js';
import type { RecurrentWeights } from './sequence_types.js';

/**
 * The input projection for every time step as ONE matmul: [time*batch, input] x weightIh^T. For
 * LSTM and RNN both biases are folded in here; GRU's biasHh stays in the recurrence because the reset
 * gate multiplies it (n = tanh(W_in x + b_in + r * (W_hn h + b_hn))).
 */
export function inputProjection(
  cell: CellKind, x: tf.Tensor, weights: RecurrentWeights,
  matMul: (a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) => tf.Tensor = tf.matMul,
): tf.Tensor {
  return tf.tidy(() => {
    const [time, batch, inputSize] = x.shape as [number, number, number];
    const xp = matMul(tf.reshape(x, [time * batch, inputSize]), weights.weightIh, false, true);
    if (weights.biasIh === undefined) return xp;
    const bias = cell === 'gru' ? weights.biasIh : tf.add(weights.biasIh, weights.biasHh!);
    return tf.add(xp, bias);
  });
}
