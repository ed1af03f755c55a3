import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import {
  Dense,
  Dropout,
  EarlyStopping,
  Embedding,
  GlobalAveragePooling1D,
  GRU,
  LSTM,
  ModelCheckpoint,
  Sequential,
  SimpleRNN,
  gruSequence,
  lstmSequence,
  recurrentSequence,
  rnnSequence,
} from './index.js';

// Every public constructor and function of the package that takes options, called with a key it does not
// take: plain JavaScript callers would otherwise have it silently ignored.
describe('options are checked everywhere', () => {
  const x = tf.zeros([2, 3, 4]);
  const weights = (gates: number) => ({
    weightIh: tf.zeros([gates * 4, 4]),
    weightHh: tf.zeros([gates * 4, 4]),
    biasIh: tf.zeros([gates * 4]),
    biasHh: tf.zeros([gates * 4]),
  });
  const h0 = tf.zeros([2, 4]);
  const model = () => {
    const m = new Sequential([
      new Embedding({ inputDim: 5, outputDim: 2 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1 }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    return m;
  };
  const lstm = new LSTM({ inputSize: 4, hiddenSize: 4, batchFirst: true });

  const cases: Array<[string, () => unknown, string]> = [
    [
      'SimpleRNN',
      () => new SimpleRNN({ units: 32 } as never),
      'SimpleRNN: unknown option "units" — did you mean "hiddenSize"?',
    ],
    [
      'LSTM',
      () => new LSTM({ hiddenSize: 8, return_sequences: true } as never),
      'LSTM: unknown option "return_sequences" — did you mean "returnSequences"?',
    ],
    [
      'GRU',
      () => new GRU({ hiddenSize: 8, batch_first: true } as never),
      'GRU: unknown option "batch_first" — did you mean "batchFirst"?',
    ],
    ['LSTM.forward', () => lstm.forward(x, { hx: h0 } as never), 'LSTM.forward: unknown option "hx"'],
    [
      'LSTM.apply',
      () => lstm.apply(x, { trainig: true } as never),
      'LSTM.apply: unknown option "trainig" — did you mean "training"?',
    ],
    [
      'stream().push',
      () => new LSTM({ inputSize: 4, hiddenSize: 4 }).stream().push(x, { trainig: true } as never),
      'LSTM.stream().push: unknown option "trainig"',
    ],
    [
      'lstmSequence',
      () => lstmSequence(x, weights(4), h0, h0, { length: [3, 3] } as never),
      'lstmSequence: unknown option "length" — did you mean "lengths"?',
    ],
    [
      'gruSequence',
      () => gruSequence(x, weights(3), h0, { reversed: true } as never),
      'gruSequence: unknown option "reversed" — did you mean "reverse"?',
    ],
    [
      'rnnSequence',
      () => rnnSequence(x, weights(1), h0, { activation: 'relu' } as never),
      'rnnSequence: unknown option "activation"',
    ],
    [
      'recurrentSequence',
      () => recurrentSequence('gru', x, weights(3), h0, undefined, { impl: 'fused' } as never),
      'recurrentSequence: unknown option "impl"',
    ],
    [
      'Dense',
      () => new Dense({ units: 1, use_bias: false } as never),
      'Dense: unknown option "use_bias" — did you mean "useBias"?',
    ],
    [
      'Dense.apply',
      () => new Dense({ units: 1 }).apply(tf.zeros([1, 2]), { train: true } as never),
      'Dense.apply: unknown option "train"',
    ],
    [
      'Embedding',
      () => new Embedding({ inputDim: 5, outputDim: 2, mask_zero: true } as never),
      'Embedding: unknown option "mask_zero" — did you mean "maskZero"?',
    ],
    [
      'Dropout',
      () => new Dropout({ rate: 0.5, noise_shape: [1] } as never),
      'Dropout: unknown option "noise_shape"',
    ],
    [
      'GlobalAveragePooling1D',
      () => new GlobalAveragePooling1D({ data_format: 'x' } as never),
      'GlobalAveragePooling1D: unknown option "data_format"',
    ],
    [
      'Sequential',
      () => new Sequential([], { nam: 'm' } as never),
      'Sequential: unknown option "nam" — did you mean "name"?',
    ],
    [
      'compile',
      () => model().compile({ optimizer: 'sgd', loss: 'mse', metric: ['acc'] } as never),
      'compile: unknown option "metric" — did you mean "metrics"?',
    ],
    [
      'Sequential.apply',
      () => model().apply(tf.zeros([1, 2]), { mask: null } as never),
      'Sequential.apply: unknown option "mask"',
    ],
    [
      'EarlyStopping',
      () => new EarlyStopping({ min_delta: 0.1 } as never),
      'EarlyStopping: unknown option "min_delta" — did you mean "minDelta"?',
    ],
    [
      'ModelCheckpoint',
      () => new ModelCheckpoint({ filepath: 'x' } as never),
      'ModelCheckpoint: unknown option "filepath"',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => expect(call).toThrow(message));
  }

  it('fit, evaluate and predict (Keras option names included)', async () => {
    const m = model();
    await expect(m.fit([[1, 2]], [1], { batch_size: 128, validation_split: 0.2 } as never)).rejects.toThrow(
      'fit: unknown option "batch_size" — did you mean "batchSize"?',
    );
    await expect(m.fit([[1, 2]], [1], { epochs: 1, validation_split: 0.2 } as never)).rejects.toThrow(
      'fit: unknown option "validation_split" — did you mean "validationSplit"?',
    );
    await expect(m.evaluate([[1, 2]], [1], { batchsize: 1 } as never)).rejects.toThrow(
      'evaluate: unknown option "batchsize" — did you mean "batchSize"?',
    );
    await expect(m.predict([[1, 2]], { batch_size: 1 } as never)).rejects.toThrow(
      'predict: unknown option "batch_size" — did you mean "batchSize"?',
    );
    m.dispose();
  });

  it('a bare number where Keras takes one says what rnnkit takes', () => {
    expect(() => new SimpleRNN(32 as never)).toThrow(
      'SimpleRNN: options must be an object of named options, got the number 32 — did you mean new SimpleRNN({ hiddenSize: 32 })?',
    );
    expect(() => new Dense(1 as never)).toThrow('did you mean new Dense({ units: 1 })?');
    expect(() => new Dropout(0.5 as never)).toThrow('did you mean new Dropout({ rate: 0.5 })?');
    expect(() => new LSTM(undefined as never)).toThrow(
      'LSTM: options are required, e.g. new LSTM({ hiddenSize: 32 })',
    );
  });

  it('boolean options must be booleans, not truthy values', () => {
    expect(() => new LSTM({ hiddenSize: 4, bidirectional: 'no' } as never)).toThrow(
      'LSTM: bidirectional must be true or false, got "no"',
    );
    expect(() => new GRU({ hiddenSize: 4, batchFirst: 1 } as never)).toThrow(
      'GRU: batchFirst must be true or false, got 1',
    );
    expect(() => new Dense({ units: 1, useBias: 'false' } as never)).toThrow(
      'Dense: options.useBias must be true or false, got "false"',
    );
    expect(() => new Embedding({ inputDim: 3, outputDim: 2, maskZero: 0 } as never)).toThrow(
      'Embedding: options.maskZero must be true or false, got 0',
    );
  });
});

describe('sizes are bounded before anything is allocated', () => {
  it('a layer over the parameter limit fails at once, naming the count and the way to raise it', async () => {
    const { getMaxLayerParameters, setMaxLayerParameters } = await import('./index.js');
    const before = tf.memory().numTensors;
    expect(() => new Dense({ units: 1e9, inputDim: 5 })).toThrow(
      /^Dense '': the layer would have 6,000,000,000 parameters \(22\.4 GiB\), over the limit of 268,435,456; .*setMaxLayerParameters\(\)$/,
    );
    expect(() => new LSTM({ inputSize: 32, hiddenSize: 32, numLayers: 100_000 })).toThrow(
      /LSTM: the layer would have 844,800,000 parameters/,
    );
    expect(() => new GRU({ inputSize: 4, hiddenSize: 4, numLayers: 1e12 })).toThrow(
      /GRU: the layer would have/,
    );
    expect(() => new Embedding({ inputDim: 1e6, outputDim: 1e3 })).toThrow(
      /Embedding '': the layer would have 1,000,000,000 parameters/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const limit = getMaxLayerParameters();
    setMaxLayerParameters(10);
    try {
      expect(() => new Dense({ units: 4, inputDim: 4 })).toThrow(/over the limit of 10/);
    } finally {
      setMaxLayerParameters(limit);
    }
    expect(() => setMaxLayerParameters(0)).toThrow(
      'setMaxLayerParameters: count must be a positive integer, got 0',
    );
  });
});
