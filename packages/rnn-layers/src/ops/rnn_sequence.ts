import type * as tf from '@tensorflow/tfjs-core';

import { recurrentSequence, type RecurrentSequenceOptions } from './recurrent_sequence.js';
import type { RecurrentWeights } from './sequence_types.js';

export interface RnnSequenceOptions extends RecurrentSequenceOptions {
  /** torch.nn.RNN's nonlinearity; default 'tanh'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** Fused Elman RNN over a whole sequence (one layer, one direction). x: [time, batch, input]. */
export function rnnSequence(
  x: tf.Tensor, weights: RecurrentWeights, h0: tf.Tensor, options: RnnSequenceOptions = {},
): { output: tf.Tensor; hN: tf.Tensor } {
  const nonlinearity = options.nonlinearity ?? 'tanh';
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new Error(`rnnSequence: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
  }
  const r = recurrentSequence(nonlinearity === 'relu' ? 'rnn_relu' : 'rnn_tanh', x, weights, h0, undefined, options);
  return { output: r.output, hN: r.hN };
}
