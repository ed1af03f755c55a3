import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { GRU } from '../recurrent/gru.js';
import { rmsprop } from '../optimizers/fused_rmsprop.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { EarlyStopping } from './early_stopping.js';
import { Embedding } from './embedding.js';
import { KerasAdam } from '../optimizers/keras_adam.js';
import { Sequential } from './sequential.js';
import { separableTokens } from './__fixtures__/separable_tokens.js';

function model(): Sequential {
  return new Sequential([
    new Embedding({ inputDim: 9, outputDim: 4, seed: 1 }),
    new GRU({ hiddenSize: 3, seed: 2 }),
    new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
  ]);
}

async function weightsOf(m: Sequential): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, tensor] of m.namedWeights()) out[name] = Array.from(await tensor.data());
  return out;
}

describe('Sequential.fit initialEpoch', () => {
  for (const [name, make] of [
    ['adam', () => new KerasAdam(0.01)],
    ['rmsprop', () => rmsprop(0.01, 0.9, 0, 1e-7)],
  ] as const) {
    it(`resumes a ${name} run exactly: restored weights and optimizer state, then the remaining epochs`, async () => {
      const { x, y } = separableTokens(40, 5, 5);
      const fitOptions = { batchSize: 8, seed: 11, verbose: 0 as const, validationSplit: 0.2 };

      const whole = model();
      const wholeOpt = make();
      whole.compile({ optimizer: wholeOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
      const wholeHistory = await whole.fit(x, y, { ...fitOptions, epochs: 3 });

      const first = model();
      const firstOpt = make();
      first.compile({ optimizer: firstOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
      await first.fit(x, y, { ...fitOptions, epochs: 1 });
      // What a checkpoint holds: the weights and the optimizer's slots, read to the host.
      const saved = await first.toArtifacts();
      const slots = await Promise.all(
        (await firstOpt.getWeights()).map(async (w) => ({
          name: w.name,
          shape: w.tensor.shape,
          values: await w.tensor.data(),
        })),
      );

      const resumed = Sequential.fromArtifacts(saved);
      const resumedOpt = make();
      await resumedOpt.setWeights(slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) })));
      resumed.compile({ optimizer: resumedOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
      const rest = await resumed.fit(x, y, { ...fitOptions, epochs: 3, initialEpoch: 1 });

      expect(rest.epoch).toEqual([1, 2]);
      expect(rest.history.loss).toEqual(wholeHistory.history.loss!.slice(1));
      expect(await weightsOf(resumed)).toEqual(await weightsOf(whole));
      for (const m of [whole, first, resumed]) m.dispose();
      for (const o of [wholeOpt, firstOpt, resumedOpt]) o.dispose();
    });
  }

  it('resumes exactly with Dropout, recurrent dropout and EarlyStopping: random streams and early-stopping state restored', async () => {
    const { x, y } = separableTokens(40, 5, 5);
    const noisy = () =>
      new Sequential([
        new Embedding({ inputDim: 9, outputDim: 4, seed: 1 }),
        new GRU({ hiddenSize: 3, numLayers: 2, dropout: 0.3, seed: 2 }),
        new Dropout({ rate: 0.4, seed: 4 }),
        new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
      ]);
    const fitOptions = { batchSize: 8, seed: 11, verbose: 0 as const, validationSplit: 0.2, epochs: 5 };
    const tensorsBefore = tf.memory().numTensors;

    const whole = noisy();
    const wholeOpt = new KerasAdam(0.05);
    whole.compile({ optimizer: wholeOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
    const wholeHistory = await whole.fit(x, y, {
      ...fitOptions,
      callbacks: [new EarlyStopping({ patience: 1, restoreBestWeights: true })],
    });

    // Interrupted after epoch 2: what a checkpoint keeps.
    const first = noisy();
    const firstOpt = new KerasAdam(0.05);
    first.compile({ optimizer: firstOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
    const firstStopping = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    let saved: {
      artifacts: Awaited<ReturnType<Sequential['toArtifacts']>>;
      random: Record<string, number[]>;
      stopping: ReturnType<EarlyStopping['state']>;
      best: Record<string, tf.Tensor> | null;
    } | null = null;
    await first.fit(x, y, {
      ...fitOptions,
      epochs: 2,
      callbacks: [
        firstStopping,
        {
          onEpochEnd: async (epoch) => {
            if (epoch !== 1) return;
            const best = firstStopping.bestWeightsSnapshot();
            saved = {
              artifacts: await first.toArtifacts(),
              random: JSON.parse(JSON.stringify(first.randomState())) as Record<string, number[]>,
              stopping: JSON.parse(JSON.stringify(firstStopping.state())) as ReturnType<
                EarlyStopping['state']
              >,
              best: best
                ? Object.fromEntries(Object.entries(best).map(([k, t]) => [k, tf.keep(t.clone())]))
                : null,
            };
          },
        },
      ],
    });
    expect(Object.keys(saved!.random).sort()).toEqual(['dropout', 'gru']);
    const named = await firstOpt.getWeights();
    const slots = await Promise.all(
      named.map(async (w) => ({ name: w.name, shape: w.tensor.shape, values: await w.tensor.data() })),
    );
    // getWeights makes a new scalar for the iteration count; the other entries are the optimizer's variables.
    tf.dispose(named.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));

    const resumed = Sequential.fromArtifacts(saved!.artifacts);
    resumed.setRandomState(saved!.random);
    const restoreSlots = async (optimizer: KerasAdam) => {
      const tensors = slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) }));
      await optimizer.setWeights(tensors);
      tf.dispose(tensors.map((t) => t.tensor));
    };
    const resumedOpt = new KerasAdam(0.05);
    await restoreSlots(resumedOpt);
    resumed.compile({ optimizer: resumedOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
    const resumedStopping = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    resumedStopping.resumeFrom(saved!.stopping, saved!.best);
    const rest = await resumed.fit(x, y, { ...fitOptions, initialEpoch: 2, callbacks: [resumedStopping] });

    expect(rest.epoch).toEqual(wholeHistory.epoch.slice(2));
    expect(rest.history.val_loss).toEqual(wholeHistory.history.val_loss!.slice(2));
    expect(await weightsOf(resumed)).toEqual(await weightsOf(whole));
    // Without the random state the masks differ and so do the weights: the test can fail.
    const unseeded = Sequential.fromArtifacts(saved!.artifacts);
    const unseededOpt = new KerasAdam(0.05);
    await restoreSlots(unseededOpt);
    unseeded.compile({ optimizer: unseededOpt, loss: 'binary_crossentropy', metrics: ['acc'] });
    await unseeded.fit(x, y, { ...fitOptions, epochs: 3, initialEpoch: 2 });
    expect((await weightsOf(unseeded))['dense.kernel']).not.toEqual(
      (await weightsOf(resumed))['dense.kernel'],
    );

    tf.dispose(Object.values(saved!.best ?? {}));
    for (const m of [whole, first, resumed, unseeded]) m.dispose();
    for (const o of [wholeOpt, firstOpt, resumedOpt, unseededOpt]) o.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('setRandomState and EarlyStopping.resumeFrom reject state that does not fit', () => {
    const m = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 4, seed: 1 }),
      new Dropout({ rate: 0.5, seed: 1 }),
      new Dense({ units: 1, seed: 3 }),
    ]);
    m.build([null, 3]);
    expect(() => m.setRandomState({ other: [1, 2, 3, 4] })).toThrow(
      /Sequential.setRandomState: the state's layers \(other\) are not this model's random layers \(dropout\)/,
    );
    expect(() => m.setRandomState({ dropout: [1] })).toThrow(/SeededRandom.setState/);
    expect(() => new EarlyStopping().resumeFrom({ wait: 'x' } as never)).toThrow(
      /EarlyStopping.resumeFrom: state must be what state\(\) returned/,
    );
    m.dispose();
  });

  it('rejects a negative or fractional initialEpoch', async () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await expect(m.fit([[1, 2]], [1], { epochs: 1, initialEpoch: -1, verbose: 0 })).rejects.toThrow(
      /initialEpoch must be an integer >= 0, got -1/,
    );
    await expect(m.fit([[1, 2]], [1], { epochs: 1, initialEpoch: 0.5, verbose: 0 })).rejects.toThrow(
      /initialEpoch/,
    );
    m.dispose();
  });
});
