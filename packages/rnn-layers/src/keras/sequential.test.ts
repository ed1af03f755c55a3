import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import { Sequential } from './sequential.js';
import { reference } from './__fixtures__/keras_reference.js';
import { separableTokens } from './__fixtures__/separable_tokens.js';

const ref = reference.training;

function poolModel(): Sequential {
  const model = new Sequential([
    new Embedding({ inputDim: ref.vocab, outputDim: ref.dim, seed: 1 }),
    new GlobalAveragePooling1D(),
    new Dense({ units: 1, activation: 'sigmoid', seed: 2 }),
  ]);
  model.build([null, ref.x_shape[1]]);
  const [emb, , dense] = model.layers;
  emb!.setWeights({ embeddings: tf.tensor(ref.initial.embeddings, [ref.vocab, ref.dim]) });
  dense!.setWeights({
    kernel: tf.tensor(ref.initial.kernel, [ref.dim, 1]),
    bias: tf.tensor(ref.initial.bias),
  });
  return model;
}

describeWithBackends('Sequential', () => {
  for (const run of ['rmsprop', 'rmsprop_clip', 'adam'] as const) {
    it(`trains like Keras's ${run} rule (3 full-batch steps vs a torch reference)`, async () => {
      const model = poolModel();
      const expected = ref.runs[run];
      model.compile({
        optimizer: run === 'adam' ? 'adam' : 'rmsprop',
        loss: 'binary_crossentropy',
        metrics: ['acc'],
        ...(expected.clip_norm ? { clipNorm: expected.clip_norm } : {}),
      });
      const x = tf.tensor(ref.x, ref.x_shape, 'int32');
      const history = await model.fit(x, ref.y, { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
      expectArraysClose(history.history.loss!, expected.losses, { atol: 1e-5 });
      expectArraysClose(history.history.acc!, expected.accs);
      const weights = Object.fromEntries(model.namedWeights());
      expectArraysClose(await weights['embedding.embeddings']!.data(), expected.final.embeddings, {
        atol: 1e-5,
      });
      expectArraysClose(await weights['dense.kernel']!.data(), expected.final.kernel, { atol: 1e-5 });
      expectArraysClose(await weights['dense.bias']!.data(), expected.final.bias, { atol: 1e-5 });
      x.dispose();
      model.dispose();
    });
  }

  it('learns a separable task, reports Keras-shaped history, and keeps the tensor count flat', async () => {
    const { x, y } = separableTokens(160, 6, 5);
    const model = new Sequential([
      new Embedding({ inputDim: 10, outputDim: 8, seed: 3 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1, activation: 'sigmoid', seed: 4 }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
    const epochsSeen: number[] = [];
    // Adam's lr 0.001 is slow on 128 samples: a custom optimizer goes through compile too.
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'binary_crossentropy', metrics: ['acc'] });
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, {
      epochs: 8,
      batchSize: 16,
      validationSplit: 0.2,
      seed: 9,
      verbose: 0,
      onEpochEnd: (epoch) => {
        epochsSeen.push(epoch);
      },
    });
    expect(Object.keys(history.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(history.history.loss).toHaveLength(8);
    expect(epochsSeen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.params.samples).toBe(128);
    expect(history.params.validationSamples).toBe(32);
    expect(history.history.val_acc!.at(-1)).toBeGreaterThanOrEqual(0.95);
    expect(history.history.loss!.at(-1)).toBeLessThan(history.history.loss![0]!);
    // the optimizer's slots are created on the first step; after that nothing may accumulate
    const afterFirstFit = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(tf.memory().numTensors).toBe(afterFirstFit);
    expect(afterFirstFit).toBeGreaterThan(before); // the slots exist now
    const result = await model.evaluate(x.slice(128), y.slice(128));
    expectArraysClose(result.acc!, history.history.val_acc!.at(-1)!, { atol: 0.04 }); // one more epoch since
    model.dispose();
  });

  it('runs 100 training steps with a flat tensor count', async () => {
    const { x, y } = separableTokens(20, 4, 6);
    const model = new Sequential([
      new Embedding({ inputDim: 10, outputDim: 4, seed: 3, maskZero: true }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 4, activation: 'relu', seed: 5 }),
      new Dense({ units: 1, activation: 'sigmoid', seed: 6 }),
    ]);
    model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['acc'], clipNorm: 1 });
    const xs = tf.tensor2d(x, undefined, 'int32');
    const ys = tf.tensor1d(y);
    await model.fit(xs, ys, { epochs: 1, batchSize: 20, verbose: 0 });
    const start = tf.memory().numTensors;
    await model.fit(xs, ys, { epochs: 100, batchSize: 20, verbose: 0, seed: 1 });
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('takes validation data from the end, before shuffling, like Keras', async () => {
    // The last 2 samples are all class 1 with tokens the training part never shows.
    const model = new Sequential([
      new Embedding({ inputDim: 4, outputDim: 2, seed: 1 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1, activation: 'sigmoid', seed: 2 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['acc'] });
    const x = [
      [1, 1],
      [2, 2],
      [1, 1],
      [2, 2],
      [1, 1],
      [2, 2],
      [1, 1],
      [2, 2],
      [3, 3],
      [3, 3],
    ];
    const y = [0, 1, 0, 1, 0, 1, 0, 1, 1, 1];
    const lines: string[] = [];
    const history = await model.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      validationSplit: 0.2,
      verbose: 1,
      log: (l) => lines.push(l),
      seed: 3,
    });
    const direct = await model.evaluate(
      [
        [3, 3],
        [3, 3],
      ],
      [1, 1],
    );
    expectArraysClose(history.history.val_loss!, [direct.loss!], { atol: 1e-6 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Epoch 1/1');
    expect(lines[1]).toMatch(
      /^2\/2 - \d+s - \d+ms\/step - loss: [\d.]+ - acc: [\d.]+ - val_loss: [\d.]+ - val_acc: [\d.]+$/,
    );
    model.dispose();
  });
});

describe('Sequential API', () => {
  it('prints a Keras-like summary with parameter counts', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 100, outputDim: 8, seed: 1 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1, activation: 'sigmoid', seed: 1 }),
      new Dense({ units: 1, seed: 1 }),
    ]);
    model.build([null, 20]);
    const lines: string[] = [];
    const text = model.summary((l) => lines.push(l));
    expect(lines).toEqual([text]);
    expect(text).toMatch(/embedding \(Embedding\)\s+\[null, 20, 8\]\s+800/);
    expect(text).toMatch(/dense \(Dense\)\s+\[null, 1\]\s+9/);
    expect(text).toMatch(/dense_1 \(Dense\)\s+\[null, 1\]\s+2/);
    expect(text).toMatch(/Total params: 811/);
    model.dispose();
  });

  it('predicts in batches, the same as one pass', async () => {
    const model = new Sequential([
      new Dense({ units: 3, activation: 'tanh', seed: 1 }),
      new Dense({ units: 2, seed: 2 }),
    ]);
    const x = tf.randomNormal([10, 4], 0, 1, 'float32', 1);
    const whole = model.apply(x);
    const batched = await model.predict(x, { batchSize: 3 });
    expect(batched.shape).toEqual([10, 2]);
    expectArraysClose(await batched.data(), await whole.data(), { atol: 1e-6 });
    tf.dispose([x, whole, batched]);
    model.dispose();
  });

  it('gives errors that name the argument', async () => {
    const model = new Sequential([
      new Embedding({ inputDim: 5, outputDim: 2, seed: 1 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1, seed: 1 }),
    ]);
    await expect(model.fit([[1, 2]], [1])).rejects.toThrow(/fit: call compile\(\{optimizer, loss\}\) first/);
    expect(() => model.compile({ optimizer: 'adagrad' as never, loss: 'mse' })).toThrow(
      /compile: optimizer must be one of rmsprop, adam, sgd or a tf.Optimizer, got "adagrad"/,
    );
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['auc' as never] })).toThrow(
      /compile: metrics\[0\] must be 'acc' or 'accuracy', got "auc"/,
    );
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', clipNorm: -1 })).toThrow(
      /compile: clipNorm must be a positive number, got -1/,
    );
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = tf.memory().numTensors; // after compile: SGD keeps its learning rate as a tensor
    await expect(
      model.fit(
        [
          [1, 2],
          [3, 4],
        ],
        [1],
      ),
    ).rejects.toThrow(/fit: x has 2 samples but y has 1/);
    await expect(model.fit([[1, 7]], [1])).rejects.toThrow(
      /fit: x\[0\]\[1\] = 7 is not a token index in \[0, 5\)/,
    );
    await expect(model.fit([[1, 2]], [1], { validationSplit: 1 })).rejects.toThrow(
      /options.validationSplit must be in \[0, 1\), got 1/,
    );
    await expect(model.fit([[1, 2]], [1], { batchSize: 0 })).rejects.toThrow(
      /options.batchSize must be an integer >= 1, got 0/,
    );
    await expect(
      model.fit(
        [
          [1, 2],
          [1, 2],
        ],
        [1, 1],
        { validationSplit: 0.6 },
      ),
    ).rejects.toThrow(/leaves no training samples out of 2/);
    await expect(model.predict([[1, 2], [3]] as never)).rejects.toThrow(
      /predict: x must be a rectangular array: predict: x\[1\] has length 1, expected length 2/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new Sequential([{} as never])).toThrow(/Sequential: layers\[0\] is not a layer/);
    expect(
      () => new Sequential([new Dense({ units: 1, name: 'a' }), new Dense({ units: 1, name: 'a' })]),
    ).toThrow(/layers\[1\].name 'a' is already used/);
    model.dispose();
    await expect(model.predict([[1]])).rejects.toThrow(/the model has been disposed/);
  });
});
