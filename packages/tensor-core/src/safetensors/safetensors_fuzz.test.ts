import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { applyByteMutation, byteMutation, fuzzRuns, FuzzTally } from '../testing/byte_mutations.js';
import { readSafetensors } from './read_safetensors.js';
import { writeSafetensors } from './write_safetensors.js';

describe('readSafetensors on mutated files', () => {
  it('throws a readSafetensors error or returns tensors, and never leaks', async () => {
    const original = await writeSafetensors(
      { 'layer.weight': tf.tensor2d([[1, 2, 3], [4, 5, 6]]), 'layer.bias': tf.tensor1d([0.5, -0.5, 0]), ids: tf.tensor1d([1, 2, 3], 'int32') },
      { metadata: { format: 'pt' }, dtypes: { 'layer.bias': 'F16' } },
    );
    const reference = Object.fromEntries(Object.entries(readSafetensors(original)).map(([k, t]) => [k, [t.shape.join(','), Array.from(t.dataSync())]]));
    const tally = new FuzzTally('safetensors');
    fc.assert(
      fc.property(byteMutation(original.length), (mutation) => {
        const bytes = applyByteMutation(original, mutation);
        const before = tf.memory().numTensors;
        let tensors: Record<string, tf.Tensor>;
        try {
          tensors = readSafetensors(bytes);
        } catch (error) {
          expect(tf.memory().numTensors).toBe(before);
          const clean = error instanceof Error && error.message.startsWith('readSafetensors: ') && error.message.length < 400;
          tally.add(clean ? 'clean error' : 'other', String(error));
          expect(clean, String(error)).toBe(true);
          return;
        }
        const got = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [t.shape.join(','), Array.from(t.dataSync())]]));
        tf.dispose(Object.values(tensors));
        // The format has no checksum: a flipped value or a renamed key that keeps the header valid loads.
        tally.add(JSON.stringify(got) === JSON.stringify(reference) ? 'accepted unchanged' : 'accepted changed');
      }),
      { seed: 15, numRuns: fuzzRuns(300) },
    );
    tally.report();
    expect(tally.counts['clean error']).toBeGreaterThan(50);
  });
});
