import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { CharVocabulary } from '../char/char_vocabulary.js';
import { encodeBatch, padBatch } from './encode_batch.js';

describe('padBatch', () => {
  it('hand-checked: post padding with pad id 0 and a mask of ones over real tokens', () => {
    expect(padBatch([[5, 6, 7], [8], []])).toEqual({
      ids: [[5, 6, 7], [8, 0, 0], [0, 0, 0]],
      attentionMask: [[1, 1, 1], [1, 0, 0], [0, 0, 0]],
      lengths: [3, 1, 0],
    });
  });

  it('pre padding, pre truncation, custom pad id', () => {
    expect(padBatch([[1, 2, 3, 4], [9]], { maxLength: 2, padding: 'pre', truncation: 'pre', padId: -1 })).toEqual({
      ids: [[3, 4], [-1, 9]],
      attentionMask: [[1, 1], [0, 1]],
      lengths: [2, 1],
    });
  });

  it('rejects bad ids and options with their position', () => {
    expect(() => padBatch([[1], [2, 3.5]])).toThrow(/sequences\[1\]\[1\] = 3.5 is not an int32 id/);
    expect(() => padBatch([[1]], { maxLength: 0 })).toThrow(/maxLength must be a positive integer, got 0/);
    expect(() => padBatch([[1]], { padding: 'middle' as 'pre' })).toThrow(/padding must be 'pre' or 'post'/);
  });
});

describeWithBackends('encodeBatch', () => {
  const vocab = new CharVocabulary({ alphabet: 'abc ', specials: ['pad', 'unk'] });

  it('returns int32 ids, mask and lengths tensors and leaks nothing else', async () => {
    const before = tf.memory().numTensors;
    const batch = encodeBatch(['abc', 'a', ''], vocab, { maxLength: 4 });
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(batch.inputIds.shape).toEqual([3, 4]);
    expect(batch.inputIds.dtype).toBe('int32');
    expect(await batch.inputIds.array()).toEqual([[2, 3, 4, 0], [2, 0, 0, 0], [0, 0, 0, 0]]);
    expect(await batch.attentionMask.array()).toEqual([[1, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]]);
    expect(await batch.lengths.array()).toEqual([3, 1, 0]);
    tf.dispose([batch.inputIds, batch.attentionMask, batch.lengths]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts a plain function as encoder and an empty batch', async () => {
    const batch = encodeBatch(['ab', 'abc'], (t) => vocab.encode(t, {}), { padId: vocab.padId });
    expect(await batch.lengths.array()).toEqual([2, 3]);
    const empty = encodeBatch([], vocab);
    expect(empty.inputIds.shape).toEqual([0, 0]);
    tf.dispose([batch.inputIds, batch.attentionMask, batch.lengths, empty.inputIds, empty.attentionMask, empty.lengths]);
  });

  it('rejects a missing encoder', () => {
    expect(() => encodeBatch(['a'], {} as unknown as (t: string) => number[])).toThrow(/encoder must be a function or an object with an encode/);
  });
});
