import type * as tf from '@tensorflow/tfjs-core';

import { checkOptions } from '@rnnkit/tensor-core';

import {
  RECURRENT_SEQUENCE_OPTIONS,
  recurrentSequence,
  type RecurrentSequenceOptions,
} from './recurrent_sequence.js';
import type { RecurrentWeights } from './sequence_types.js';

/** Fused GRU over a whole sequence (one layer, one direction). x: [time, batch, input]. */
export function gruSequence(
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  options?: RecurrentSequenceOptions,
): { output: tf.Tensor; hN: tf.Tensor } {
  checkOptions('gruSequence', options, RECURRENT_SEQUENCE_OPTIONS);
  const r = recurrentSequence('gru', x, weights, h0, undefined, options);
  return { output: r.output, hN: r.hN };
}
