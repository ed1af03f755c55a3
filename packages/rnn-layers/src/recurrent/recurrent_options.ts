import type * as tf from '@tensorflow/tfjs-core';
import { optionKeys } from '@rnnkit/tensor-core';

import type { SequenceLengths } from '../ops/sequence_types.js';

/** torch.nn.RNN/LSTM/GRU constructor options (camelCase), plus `seed` and Keras' `returnSequences`. */
export interface RecurrentLayerOptions {
  /** Features per step. Optional: inferred from the first input's last dimension (then fixed). */
  inputSize?: number;
  hiddenSize: number;
  /** Stacked layers; default 1. */
  numLayers?: number;
  /** Learn bias_ih/bias_hh; default true. */
  bias?: boolean;
  /** forward() takes and returns [batch, time, features] instead of [time, batch, features]; default false. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, only when training; default 0. */
  dropout?: number;
  /** Default false. */
  bidirectional?: boolean;
  /** Seeds the initial weights and the dropout masks; default: a random seed. */
  seed?: number;
  /** apply() only: true returns every step's output, false (default) the last valid state. */
  returnSequences?: boolean;
}

export interface SimpleRNNOptions extends RecurrentLayerOptions {
  /** Default 'tanh'. */
  nonlinearity?: 'tanh' | 'relu';
}

const LAYER_KEYS = {
  inputSize: true,
  hiddenSize: true,
  numLayers: true,
  bias: true,
  batchFirst: true,
  dropout: true,
  bidirectional: true,
  seed: true,
  returnSequences: true,
} as const;
export const RECURRENT_LAYER_OPTIONS = optionKeys<RecurrentLayerOptions>(LAYER_KEYS);
export const SIMPLE_RNN_OPTIONS = optionKeys<SimpleRNNOptions>({ ...LAYER_KEYS, nonlinearity: true });

/**
 * rnnkit's recurrent layers take torch.nn's option names only (`hiddenSize`, not Keras's `units`): saved
 * configs and state dicts carry those names, and a second spelling would make two configs for one model.
 * A Keras name or a bare number gets an error that says the rnnkit spelling.
 */
export function recurrentBareValueHint(className: string): (value: unknown) => string | undefined {
  return (value) => (typeof value === 'number' ? `new ${className}({ hiddenSize: ${value} })` : undefined);
}

export interface RecurrentForwardOptions {
  /** [numLayers * numDirections, batch, hiddenSize]; default zeros. */
  h0?: tf.Tensor;
  /** LSTM only, same shape as h0; default zeros. */
  c0?: tf.Tensor;
  /** Valid steps per batch element, 1..time (PyTorch packed-sequence semantics). */
  lengths?: SequenceLengths;
  /** Enables the between-layer dropout; default false. */
  training?: boolean;
}

export interface RecurrentApplyOptions {
  training?: boolean;
  lengths?: SequenceLengths;
}

export const RECURRENT_FORWARD_OPTIONS = optionKeys<RecurrentForwardOptions>({
  h0: true,
  c0: true,
  lengths: true,
  training: true,
});
export const RECURRENT_APPLY_OPTIONS = optionKeys<RecurrentApplyOptions>({ training: true, lengths: true });

export interface RecurrentOutput {
  /** [time, batch, numDirections * hiddenSize] ([batch, time, ...] when batchFirst). */
  output: tf.Tensor;
  /** [numLayers * numDirections, batch, hiddenSize] (never batch-first, as in PyTorch). */
  hN: tf.Tensor;
  /** LSTM only, like hN. */
  cN?: tf.Tensor;
}

export type RecurrentClassName = 'SimpleRNN' | 'LSTM' | 'GRU';

/** JSON-safe description of a layer: enough to rebuild it (weights travel separately). */
export interface RecurrentLayerConfig {
  className: RecurrentClassName;
  inputSize: number | null;
  hiddenSize: number;
  numLayers: number;
  bias: boolean;
  batchFirst: boolean;
  dropout: number;
  bidirectional: boolean;
  seed: number;
  returnSequences: boolean;
  nonlinearity?: 'tanh' | 'relu';
}
