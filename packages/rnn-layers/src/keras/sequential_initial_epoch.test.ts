import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { GRU } from '../recurrent/gru.js';
import { rmsprop } from '../optimizers/fused_rmsprop.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { KerasAdam } from './keras_adam.js';
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
  for (const [name, make] of [['adam', () => new KerasAdam(0.01)], ['rmsprop', () => rmsprop(0.01, 0.9, 0, 1e-7)]] as const) {
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
      const slots = await Promise.all((await firstOpt.getWeights()).map(async (w) => ({ name: w.name, shape: w.tensor.shape, values: await w.tensor.data() })));

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

  it('rejects a negative or fractional initialEpoch', async () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await expect(m.fit([[1, 2]], [1], { epochs: 1, initialEpoch: -1, verbose: 0 })).rejects.toThrow(/initialEpoch must be an integer >= 0, got -1/);
    await expect(m.fit([[1, 2]], [1], { epochs: 1, initialEpoch: 0.5, verbose: 0 })).rejects.toThrow(/initialEpoch/);
    m.dispose();
  });
});
