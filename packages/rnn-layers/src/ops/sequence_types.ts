import type * as tf from '@tensorflow/tfjs-core';

/** One layer-direction's parameters, PyTorch layout: weightIh [gates*H, I], weightHh [gates*H, H], biases [gates*H]. */
export interface RecurrentWeights {
  weightIh: tf.Tensor;
  weightHh: tf.Tensor;
  biasIh?: tf.Tensor;
  biasHh?: tf.Tensor;
}

/** Per-batch valid lengths: a plain array, an Int32Array, or a 1-D tensor on a host-readable backend. */
export type SequenceLengths = ArrayLike<number> | tf.Tensor;

export interface SequenceOptions {
  /** Valid steps per batch element (1..time); past it outputs are zero and the state is held. */
  lengths?: SequenceLengths;
  /** Run each sequence backwards within its own length (the reverse half of a bidirectional layer). */
  reverse?: boolean;
}

export interface SequenceResult {
  /** [time, batch, hidden], zero past each sequence's length. */
  output: tf.Tensor;
  /** [batch, hidden]: the state after each sequence's own last step. */
  hN: tf.Tensor;
  /** LSTM only: the cell state after each sequence's last step. */
  cN?: tf.Tensor;
}
