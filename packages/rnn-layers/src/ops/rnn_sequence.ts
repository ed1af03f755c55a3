import type * as tf from '@tensorflow/tfjs-core';

import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { recurrentSequence, type RecurrentSequenceOptions } from './recurrent_sequence.js';
import type { RecurrentWeights } from './sequence_types.js';

export interface RnnSequenceOptions extends RecurrentSequenceOptions {
  /** torch.nn.RNN's nonlinearity; default 'tanh'. */
  nonlinearity?: 'tanh' | 'relu';
}

const RNN_SEQUENCE_OPTIONS = optionKeys<RnnSequenceOptions>({
  lengths: true,
  reverse: true,
  implementation: true,
  nonlinearity: true,
});

/** Fused Elman RNN over a whole sequence (one layer, one direction). x: [time, batch, input]. */
export function rnnSequence(
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  given?: RnnSequenceOptions,
): { output: tf.Tensor; hN: tf.Tensor } {
  const { nonlinearity = 'tanh', ...options } = checkOptions('rnnSequence', given, RNN_SEQUENCE_OPTIONS);
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new Error(`rnnSequence: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
  }
  const r = recurrentSequence(
    nonlinearity === 'relu' ? 'rnn_relu' : 'rnn_tanh',
    x,
    weights,
    h0,
    undefined,
    options,
  );
  return { output: r.output, hN: r.hN };
}
