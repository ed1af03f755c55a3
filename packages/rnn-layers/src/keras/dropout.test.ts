import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { LSTM } from '../recurrent/lstm.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Sequential } from './sequential.js';

describeWithBackends('Dropout', () => {
  it('passes its input through in inference and drops `rate` of it, scaled, in training', async () => {
    const x = tf.fill([40, 50], 2);
    const a = new Dropout({ rate: 0.25, seed: 7 });
    const b = new Dropout({ rate: 0.25, seed: 7 });
    expect(a.apply(x)).toBe(x);
    const before = tf.memory().numTensors;
    const [ya, yb, ya2] = [
      a.apply(x, { training: true }),
      b.apply(x, { training: true }),
      a.apply(x, { training: true }),
    ];
    const va = Array.from(await ya.data());
    expect(va.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6)).toBe(true);
    expect(Math.abs(va.filter((v) => v === 0).length / va.length - 0.25)).toBeLessThan(0.03);
    expect(Array.from(await yb.data())).toEqual(va); // same seed, same masks
    expect(Array.from(await ya2.data())).not.toEqual(va); // a new mask at every call
    tf.dispose([ya, yb, ya2]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('sits in a Sequential: the mask passes through, predictions are unchanged, training leaks nothing, config round-trips', async () => {
    const make = (withDropout: boolean) =>
      new Sequential([
        new Embedding({ inputDim: 20, outputDim: 4, seed: 1, maskZero: true }),
        ...(withDropout ? [new Dropout({ rate: 0.5, seed: 9 })] : []),
        new LSTM({ hiddenSize: 5, seed: 2 }),
        new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
      ]);
    const x = [
      [0, 0, 3, 4, 5],
      [6, 7, 0, 0, 0],
      [1, 0, 2, 0, 3],
    ];
    const [plain, dropped] = [make(false), make(true)];
    const [p, q] = [await plain.predict(x), await dropped.predict(x)];
    expectArraysClose(await q.data(), await p.data(), { atol: 0 });
    tf.dispose([p, q]);
    expect(dropped.summary(null)).toMatch(/dropout \(Dropout\)\s+\[null, 5, 4\]\s+0/);

    dropped.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy' });
    await dropped.fit(x, [1, 0, 1], { epochs: 1, batchSize: 3, verbose: 0 });
    const before = tf.memory().numTensors;
    const history = await dropped.fit(x, [1, 0, 1], { epochs: 20, batchSize: 3, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(history.history['loss']!.every(Number.isFinite)).toBe(true);

    const artifacts = await dropped.toArtifacts();
    const config = JSON.parse(JSON.stringify(artifacts.config)) as {
      layers: Array<{ className: string; config: Record<string, unknown> }>;
    };
    expect(config.layers[1]).toEqual({
      className: 'Dropout',
      config: { name: 'dropout', rate: 0.5, seed: 9 },
    });
    const loaded = Sequential.fromArtifacts({ config, weights: artifacts.weights } as never);
    const [r, s] = [await dropped.predict(x), await loaded.predict(x)];
    expectArraysClose(await s.data(), await r.data(), { atol: 1e-6 });
    tf.dispose([r, s]);
    for (const m of [plain, dropped, loaded]) m.dispose();
  });

  it('names bad options', () => {
    expect(() => new Dropout({ rate: 1 })).toThrow(
      /Dropout: options.rate must be a number in \[0, 1\), got 1/,
    );
    expect(() => new Dropout({ rate: 0.1, seed: 0.5 })).toThrow(
      /Dropout: options.seed must be a safe integer, got 0.5/,
    );
    const w = tf.zeros([1]);
    expect(() => new Dropout({ rate: 0.1 }).setWeights({ w })).toThrow(
      /Dropout ''\.setWeights: it has no weights, got 'w'/,
    );
    w.dispose();
  });
});
