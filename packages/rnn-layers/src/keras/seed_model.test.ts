// The seed document's Keras model, translated line for line:
//   model = Sequential([Embedding(max_features, 32), SimpleRNN(32), Dense(1, activation='sigmoid')])
//   model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['acc'])
//   history = model.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.2)
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { GRU } from '../recurrent/gru.js';
import { LSTM } from '../recurrent/lstm.js';
import { SimpleRNN } from '../recurrent/simple_rnn.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { Sequential } from './sequential.js';

/** Reviews of 12 tokens: positive ones use tokens 2..9, negative ones 10..17 (1 is shared filler). */
function reviews(n: number, seed: number, padTo = 12): { x: number[][]; y: number[] } {
  const rng = new SeededRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng.nextInt(2);
    const length = padTo - rng.nextInt(4);
    const row = Array.from({ length }, () =>
      rng.nextInt(3) === 0 ? 1 : 2 + 8 * (1 - label) + rng.nextInt(8),
    );
    while (row.length < padTo) row.push(0);
    x.push(row);
    y.push(label);
  }
  return { x, y };
}

describeWithBackends('seed model: Embedding → SimpleRNN(32) → Dense(1, sigmoid)', () => {
  it('trains with RMSprop on binary cross-entropy and keeps the tensor count flat', async () => {
    const maxFeatures = 20;
    const { x, y } = reviews(80, 1);
    const model = new Sequential([
      new Embedding({ inputDim: maxFeatures, outputDim: 32, seed: 1 }),
      new SimpleRNN({ hiddenSize: 32, seed: 2 }),
      new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
    ]);
    model.compile({
      optimizer: tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
      loss: 'binary_crossentropy',
      metrics: ['acc'],
    });
    const first = await model.fit(x, y, {
      epochs: 1,
      batchSize: 16,
      validationSplit: 0.2,
      verbose: 0,
      seed: 4,
    });
    const start = tf.memory().numTensors;
    const history = await model.fit(x, y, {
      epochs: 7,
      batchSize: 16,
      validationSplit: 0.2,
      verbose: 0,
      seed: 5,
    });
    expect(tf.memory().numTensors).toBe(start);
    expect(Object.keys(history.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(history.history.loss!.at(-1)).toBeLessThan(first.history.loss![0]!);
    expect(history.history.acc!.at(-1)).toBeGreaterThanOrEqual(0.9);
    expect(history.history.val_acc!.at(-1)).toBeGreaterThanOrEqual(0.8);
    const summary = model.summary(null);
    expect(summary).toMatch(/simple_rnn \(SimpleRNN\)\s+\[null, 32\]\s+2112/); // PyTorch keeps two biases
    model.dispose();
  });

  it('masks padding before, after and between the tokens with maskZero (padding does not change predictions), for LSTM and GRU too', async () => {
    for (const Layer of [SimpleRNN, LSTM, GRU]) {
      const model = new Sequential([
        new Embedding({ inputDim: 20, outputDim: 4, seed: 1, maskZero: true }),
        new Layer({ hiddenSize: 5, seed: 2 }),
        new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
      ]);
      const values = async (x: number[][]) => {
        const out = await model.predict(x);
        const data = Array.from(await out.data());
        out.dispose();
        return data;
      };
      const unpadded = [...(await values([[3, 4, 5]])), ...(await values([[6, 7]]))];
      for (const padded of [
        [
          [3, 4, 5, 0],
          [6, 7, 0, 0],
        ], // post
        [
          [0, 0, 0, 3, 4, 5],
          [0, 0, 0, 0, 6, 7],
        ], // pre: pad_sequences' default
        [
          [0, 3, 4, 5, 0],
          [6, 7, 0, 0, 0],
        ], // both
        [
          [3, 0, 4, 0, 0, 5],
          [0, 6, 0, 7, 0, 0],
        ], // between
      ]) {
        expectArraysClose(await values(padded), unpadded, { atol: 1e-6 });
      }
      await expect(
        model.predict([
          [3, 4],
          [0, 0],
        ]),
      ).rejects.toThrow(/predict: x\[1\] is all padding \(0\); with maskZero, keep at least one token/);
      model.dispose();
    }
  });
});

it('returnSequences stacks recurrent layers in a Sequential', async () => {
  const model = new Sequential([
    new Embedding({ inputDim: 10, outputDim: 3, seed: 1 }),
    new LSTM({ hiddenSize: 4, returnSequences: true, seed: 2 }),
    new GRU({ hiddenSize: 6, bidirectional: true, seed: 3 }),
    new Dense({ units: 2, activation: 'softmax', seed: 4 }),
  ]);
  model.build([null, 5]);
  expect(model.summary(null)).toMatch(
    /lstm \(LSTM\)\s+\[null, 5, 4\][\s\S]*gru \(GRU\)\s+\[null, 12\][\s\S]*dense \(Dense\)\s+\[null, 2\]/,
  );
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['acc'] });
  const before = tf.memory().numTensors;
  const result = await model.evaluate(
    [
      [1, 2, 3, 4, 5],
      [5, 4, 3, 2, 1],
    ],
    [0, 1],
  );
  expect(Object.keys(result).sort()).toEqual(['acc', 'loss']);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
});
