import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describe, expect, it } from 'vitest';

import { GRU } from '../recurrent/gru.js';
import { LSTM } from '../recurrent/lstm.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import { KerasAdam } from '../optimizers/keras_adam.js';
import { Sequential } from './sequential.js';

/** Rows of 1..maxTokens tokens (1..8; the label is whether most are above 4), padded with 0 to `time`. */
function ragged(n: number, maxTokens: number, seed: number): { tokens: number[][]; y: number[] } {
  const rng = new SeededRandom(seed);
  const tokens: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 1 + rng.nextInt(maxTokens) }, () => 1 + rng.nextInt(8));
    tokens.push(row);
    y.push(row.filter((t) => t > 4).length * 2 > row.length ? 1 : 0);
  }
  return { tokens, y };
}

function pad(tokens: number[][], time: number, padding: 'pre' | 'post'): number[][] {
  return tokens.map((row) => {
    const zeros = new Array<number>(time - row.length).fill(0);
    return padding === 'pre' ? [...zeros, ...row] : [...row, ...zeros];
  });
}

function maskedModel(bidirectional = true): Sequential {
  return new Sequential([
    new Embedding({ inputDim: 9, outputDim: 4, maskZero: true, seed: 1 }),
    new LSTM({ hiddenSize: 4, bidirectional, returnSequences: true, seed: 2 }),
    new GlobalAveragePooling1D(),
    new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
  ]);
}

async function weightsOf(m: Sequential): Promise<number[][]> {
  return Promise.all(m.namedWeights().map(async ([, v]) => Array.from(await v.data())));
}

function expectClose(a: number[][], b: number[][], tolerance: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThan(tolerance)));
}

describe('Sequential: padding cut from batches of a masked model', () => {
  it("predict gives each sample the output of its tokens alone, in the samples' order, whatever the padding", async () => {
    const { tokens } = ragged(23, 12, 4);
    const model = maskedModel();
    model.build([null, 12]);
    const before = tf.memory().numTensors;
    const outputs: number[][] = [];
    for (const [time, padding] of [
      [12, 'pre'],
      [40, 'pre'],
      [40, 'post'],
    ] as const) {
      const out = await model.predict(pad(tokens, time, padding), { batchSize: 5 });
      outputs.push(Array.from(await out.data()));
      out.dispose();
    }
    // One sample per call, cut to its own tokens: the reference each batched output must match.
    const alone: number[] = [];
    for (const row of tokens) {
      const out = await model.predict([row]);
      alone.push((await out.data())[0]!);
      out.dispose();
    }
    for (const o of outputs) expectClose([o], [alone], 1e-6);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('evaluate does not depend on how far the samples are padded', async () => {
    const { tokens, y } = ragged(30, 10, 5);
    const model = maskedModel();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
    const short = await model.evaluate(pad(tokens, 10, 'pre'), y, { batchSize: 7 });
    const long = await model.evaluate(pad(tokens, 64, 'post'), y, { batchSize: 7 });
    expect(Math.abs(short.loss! - long.loss!)).toBeLessThan(1e-6);
    expect(short.acc).toBe(long.acc);
    model.dispose();
  });

  it('fit trains the same weights on the same tokens padded to any length', async () => {
    const { tokens, y } = ragged(48, 9, 6);
    const weights: number[][][] = [];
    for (const [time, padding] of [
      [9, 'pre'],
      [50, 'pre'],
      [50, 'post'],
    ] as const) {
      const model = maskedModel();
      model.compile({ optimizer: new KerasAdam(0.01), loss: 'binary_crossentropy' });
      await model.fit(pad(tokens, time, padding), y, { epochs: 2, batchSize: 8, seed: 3, verbose: 0 });
      weights.push(await weightsOf(model));
      model.dispose();
    }
    expectClose(weights[1]!, weights[0]!, 1e-5);
    expectClose(weights[2]!, weights[0]!, 1e-5);
  });
});

describe('Sequential.fit bucketByLength', () => {
  it('puts sequences of similar length in each batch, learns, and does not leak', async () => {
    const { tokens, y } = ragged(160, 30, 7);
    const x = pad(tokens, 30, 'pre');
    const model = maskedModel();
    model.compile({ optimizer: new KerasAdam(0.02), loss: 'binary_crossentropy', metrics: ['acc'] });
    const spans: number[] = [];
    const widths: number[] = [];
    const original = model.apply.bind(model);
    model.apply = (input, options) => {
      if (options?.training) {
        widths.push(input.shape[1]!);
        const lengths = options.realSteps!.lengths;
        spans.push(Math.max(...lengths) - Math.min(...lengths));
      }
      return original(input, options);
    };
    // The first epoch creates Adam's slots; the count stays flat over the other seven.
    await model.fit(x, y, { epochs: 1, batchSize: 16, seed: 1, bucketByLength: true, verbose: 0 });
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, {
      epochs: 8,
      initialEpoch: 1,
      batchSize: 16,
      seed: 1,
      bucketByLength: true,
      verbose: 0,
    });
    expect(tf.memory().numTensors).toBe(before);
    // 160 samples sorted by length in one pool: each batch of 16 spans about a tenth of the 1..30 range.
    expect(widths.length).toBe(80);
    expect(Math.max(...spans)).toBeLessThanOrEqual(6);
    expect(widths.some((w) => w < 10)).toBe(true);
    // The batches come in a new random order every epoch.
    expect(widths.slice(0, 10)).not.toEqual(widths.slice(10, 20));
    expect(history.history.acc!.at(-1)).toBeGreaterThan(0.8);
    model.dispose();
  });

  it('is reproducible with a seed and resumes exactly from initialEpoch', async () => {
    const { tokens, y } = ragged(64, 20, 8);
    const x = pad(tokens, 20, 'post');
    const options = { batchSize: 8, seed: 5, bucketByLength: true, verbose: 0 as const };
    const make = () => {
      const m = new Sequential([
        new Embedding({ inputDim: 9, outputDim: 3, maskZero: true, seed: 1 }),
        new GRU({ hiddenSize: 4, returnSequences: true, seed: 2 }),
        new GlobalAveragePooling1D(),
        new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
      ]);
      m.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
      return m;
    };
    const whole = make();
    await whole.fit(x, y, { ...options, epochs: 3 });
    const resumed = make();
    await resumed.fit(x, y, { ...options, epochs: 1 });
    await resumed.fit(x, y, { ...options, epochs: 3, initialEpoch: 1 });
    expect(await weightsOf(resumed)).toEqual(await weightsOf(whole));
    const other = make();
    await other.fit(x, y, { ...options, epochs: 3, seed: 6 });
    expect(await weightsOf(other)).not.toEqual(await weightsOf(whole));
    for (const m of [whole, resumed, other]) m.dispose();
  });

  it('refuses a model whose padding is not masked, or whose output has a time axis', async () => {
    const x = [
      [1, 2, 0],
      [3, 0, 0],
    ];
    const unmasked = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 3, seed: 1 }),
      new GRU({ hiddenSize: 2, seed: 2 }),
      new Dense({ units: 1, seed: 3 }),
    ]);
    const perStep = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 3, maskZero: true, seed: 1 }),
      new GRU({ hiddenSize: 2, returnSequences: true, seed: 2 }),
    ]);
    for (const m of [unmasked, perStep]) {
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      await expect(
        m.fit(
          x,
          perStep === m
            ? [
                [
                  [0, 0],
                  [0, 0],
                  [0, 0],
                ],
                [
                  [0, 0],
                  [0, 0],
                  [0, 0],
                ],
              ]
            : [0, 1],
          { bucketByLength: true, verbose: 0 },
        ),
      ).rejects.toThrow(
        'fit: options.bucketByLength needs token ids [samples, time] into a first Embedding with maskZero: true',
      );
      m.dispose();
    }
    const model = maskedModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(
      model.fit(x, [0, 1], { bucketByLength: 'yes' as unknown as boolean, verbose: 0 }),
    ).rejects.toThrow('fit: options.bucketByLength must be a boolean, got "yes"');
    model.dispose();
  });
});
