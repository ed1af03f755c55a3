import {
  Dense,
  Dropout,
  Embedding,
  GlobalAveragePooling1D,
  GRU,
  KerasAdam,
  LSTM,
  Sequential,
  SimpleRNN,
  rmsprop,
  type Layer,
} from '@rnnkit/rnn-layers';
import type * as tf from '@tensorflow/tfjs-core';

import type { ModelSettings } from './settings.js';

/** Padding is masked (Embedding maskZero) when the model averages over real tokens. */
export function usesMask(settings: ModelSettings): boolean {
  return settings.pooling === 'mean';
}

/** Embedding → recurrent stack → (mean pooling) → (Dropout) → Dense: sigmoid for two labels, softmax for more. */
export function buildClassifier(settings: ModelSettings, labelCount: number, seed: number): Sequential {
  const bidirectional = settings.model.startsWith('bi');
  const cell = settings.model.replace(/^bi/, '');
  const recurrentOptions = {
    hiddenSize: settings.hidden,
    numLayers: settings.layers,
    bidirectional,
    seed: seed + 2,
    returnSequences: settings.pooling === 'mean',
  };
  const recurrent =
    cell === 'simple-rnn'
      ? new SimpleRNN(recurrentOptions)
      : cell === 'lstm'
        ? new LSTM(recurrentOptions)
        : new GRU(recurrentOptions);
  const layers: Layer[] = [
    new Embedding({
      inputDim: settings.vocab,
      outputDim: settings.embedding,
      maskZero: usesMask(settings),
      seed: seed + 1,
    }),
    recurrent as unknown as Layer,
  ];
  if (settings.pooling === 'mean') layers.push(new GlobalAveragePooling1D());
  if (settings.dropout > 0) layers.push(new Dropout({ rate: settings.dropout, seed: seed + 3 }));
  layers.push(
    labelCount > 2
      ? new Dense({ units: labelCount, activation: 'softmax', seed: seed + 4 })
      : new Dense({ units: 1, activation: 'sigmoid', seed: seed + 4 }),
  );
  return new Sequential(layers);
}

/** The optimizer of the settings, with Keras's other hyperparameters (ε 1e-7). */
export function createOptimizer(settings: ModelSettings): tf.Optimizer {
  return settings.optimizer === 'adam'
    ? new KerasAdam(settings.lr, 0.9, 0.999, 1e-7)
    : rmsprop(settings.lr, 0.9, 0, 1e-7);
}

export function lossFor(labelCount: number): 'binary_crossentropy' | 'sparse_categorical_crossentropy' {
  return labelCount > 2 ? 'sparse_categorical_crossentropy' : 'binary_crossentropy';
}
