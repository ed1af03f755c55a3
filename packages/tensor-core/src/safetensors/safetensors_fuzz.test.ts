import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { fuzzParser } from '../testing/fuzz_parser.js';
import { readSafetensors } from './read_safetensors.js';
import { writeSafetensors } from './write_safetensors.js';

describe('readSafetensors on mutated files', () => {
  it('throws a readSafetensors error or returns tensors, and never leaks', async () => {
    const base = await writeSafetensors(
      {
        'layer.weight': tf.tensor2d([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        'layer.bias': tf.tensor1d([0.5, -0.5, 0]),
        ids: tf.tensor1d([1, 2, 3], 'int32'),
      },
      { metadata: { format: 'pt' }, dtypes: { 'layer.bias': 'F16' } },
    );
    const before = tf.memory().numTensors;
    const tally = fuzzParser({
      name: 'readSafetensors',
      bases: [base],
      parse: (bytes) => {
        const tensors = readSafetensors(bytes);
        const plain = Object.fromEntries(
          Object.entries(tensors).map(([k, t]) => [k, [t.shape, Array.from(t.dataSync())]]),
        );
        tf.dispose(Object.values(tensors));
        return plain;
      },
      errorPattern: /^readSafetensors: /,
      fields: [0, 4],
      seed: 15,
      ciRuns: 300,
    });
    expect(tf.memory().numTensors).toBe(before);
    // The format has no checksum: a flipped value byte or a renamed key that keeps the header valid loads.
    expect(tally.other, tally.otherExamples.join('\n')).toBe(0);
    expect(tally.cleanError).toBeGreaterThan(100);
  });
});
