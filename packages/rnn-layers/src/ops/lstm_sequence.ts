import type * as tf from '@tensorflow/tfjs-core';

import { checkOptions } from '@rnnkit/tensor-core';

import {
  RECURRENT_SEQUENCE_OPTIONS,
  recurrentSequence,
  type RecurrentSequenceOptions,
} from './recurrent_sequence.js';
import type { RecurrentWeights } from './sequence_types.js';

/** Fused LSTM over a whole sequence (one layer, one direction). x: [time, batch, input]. */
export function lstmSequence(
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor,
  options?: RecurrentSequenceOptions,
): { output: tf.Tensor; hN: tf.Tensor; cN: tf.Tensor } {
  checkOptions('lstmSequence', options, RECURRENT_SEQUENCE_OPTIONS);
  const r = recurrentSequence('lstm', x, weights, h0, c0, options);
  return { output: r.output, hN: r.hN, cN: r.cN! };
}
