import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import { applyMutations, fuzzRuns, mutationArb } from '@rnnkit/tensor-core/testing/fuzz';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { LSTM } from '../recurrent/lstm.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { Sequential } from './sequential.js';

// Errors that show a parser walked into bad data instead of checking it first.
const UNCHECKED =
  /is not a function|is not iterable|Cannot read propert|Cannot convert|undefined|null|NaN|Maximum call stack|Invalid array length|out of memory/i;

describe('loadModel on mutated model directories', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads the model, or fails with a clear error, and never leaks', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rnnkit-model-fuzz-'));
    const model = new Sequential([
      new Embedding({ inputDim: 12, outputDim: 4, seed: 1 }),
      new LSTM({ hiddenSize: 4, seed: 2 }),
      new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
    ]);
    model.build([null, 5]);
    const source = join(dir, 'source');
    await model.save(source);
    model.dispose();
    const config = await readFile(join(source, 'config.json'));
    const weights = await readFile(join(source, 'model.safetensors'));
    const target = join(dir, 'mutated');
    await (await Sequential.load(source)).save(target);
    const tally = {
      cleanError: 0,
      acceptedUnchanged: 0,
      acceptedChanged: 0,
      other: 0,
      otherExamples: [] as string[],
    };
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(mutationArb(), { minLength: 1, maxLength: 3 }),
        async (inConfig, mutations) => {
          const newConfig = inConfig ? applyMutations(config, mutations) : config;
          const newWeights = inConfig ? weights : applyMutations(weights, mutations);
          await writeFile(join(target, 'config.json'), newConfig);
          await writeFile(join(target, 'model.safetensors'), newWeights);
          const before = tf.memory().numTensors;
          try {
            const loaded = await Sequential.load(target);
            const same = Buffer.from(newConfig).equals(config) && Buffer.from(newWeights).equals(weights);
            loaded.dispose();
            if (same) tally.acceptedUnchanged++;
            else tally.acceptedChanged++;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const clean =
              error instanceof Error &&
              message.length < 600 &&
              !UNCHECKED.test(message.replace(/got (undefined|null|NaN)/g, ''));
            if (clean) tally.cleanError++;
            else {
              tally.other++;
              tally.otherExamples.push(message.slice(0, 200));
            }
            if (process.env.RNNKIT_FUZZ_DEBUG) console.log(message.slice(0, 300));
          }
          expect(tf.memory().numTensors).toBe(before);
        },
      ),
      { seed: 15, numRuns: fuzzRuns(200) },
    );
    if (process.env.RNNKIT_FUZZ_RUNS)
      console.log(
        `FUZZ ${JSON.stringify({ parser: 'Sequential.load', runs: fuzzRuns(200), ...tally, otherExamples: undefined })}`,
      );
    // The weights' SHA-256 in the config makes every change to the weights file an error.
    expect(tally.other, tally.otherExamples.join('\n')).toBe(0);
    expect(tally.cleanError).toBeGreaterThan(100);
  }, 120_000);
});
