import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';
import { collateBatch } from './collate_batch.js';
import { padDenseBatch } from './pad.js';
import { paddedBatchToTensors } from './padded_batch_to_tensors.js';

describe('padDenseBatch', () => {
  const seqs = [[1, 2, 3], [4], [5, 6, 7, 8, 9]];

  it('pads at the end with masks and lengths by default', () => {
    const b = padDenseBatch(seqs);
    expect(b.shape).toEqual([3, 5]);
    expect(Array.from(b.values)).toEqual([1, 2, 3, 0, 0, 4, 0, 0, 0, 0, 5, 6, 7, 8, 9]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(b.lengths)).toEqual([3, 1, 5]);
    expect(b.values).toBeInstanceOf(Int32Array);
  });

  it("follows Keras's pad_sequences for padding/truncating 'pre'", () => {
    // keras.utils.pad_sequences([[1,2,3],[4],[5,6,7,8,9]], maxlen=4) -> [[0,1,2,3],[0,0,0,4],[6,7,8,9]]
    const b = padDenseBatch(seqs, { maxLength: 4, padding: 'pre', truncating: 'pre' });
    expect(Array.from(b.values)).toEqual([0, 1, 2, 3, 0, 0, 0, 4, 6, 7, 8, 9]);
    expect(Array.from(b.mask)).toEqual([0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(b.lengths)).toEqual([3, 1, 4]);
    const post = padDenseBatch(seqs, { maxLength: 4, value: -1 });
    expect(Array.from(post.values)).toEqual([1, 2, 3, -1, 4, -1, -1, -1, 5, 6, 7, 8]);
  });

  it('pads frame sequences (T × F stored flat) as float32', () => {
    const frames = [Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6)];
    const b = padDenseBatch(frames, { featureSize: 2, dtype: 'float32' });
    expect(b.shape).toEqual([2, 2, 2]);
    expect(Array.from(b.values)).toEqual([1, 2, 3, 4, 5, 6, 0, 0]);
    expect(Array.from(b.lengths)).toEqual([2, 1]);
    expect(() => padDenseBatch([Float32Array.of(1, 2, 3)], { featureSize: 2 })).toThrow(
      /sequences\[0\] has 3 values, not a multiple of featureSize 2/,
    );
  });
});

describeWithBackends('paddedBatchToTensors', () => {
  it('uploads values, a float mask and int lengths without leaking', async () => {
    const before = tf.memory().numTensors;
    const t = paddedBatchToTensors(padDenseBatch([[1, 2], [3]]));
    expect(t.values.dtype).toBe('int32');
    expect(t.values.shape).toEqual([2, 2]);
    expect(Array.from(await t.mask.data())).toEqual([1, 1, 1, 0]);
    expect(Array.from(await t.lengths.data())).toEqual([2, 1]);
    expect(Array.from(await t.values.data())).toEqual([1, 2, 3, 0]);
    tf.dispose([t.values, t.mask, t.lengths]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('collateBatch', () => {
  it('pads ids and gathers labels', () => {
    const { inputs, labels } = collateBatch([
      { ids: Int32Array.of(5, 6), label: 1 },
      { ids: [7], label: 0 },
    ]);
    expect(Array.from(inputs.values)).toEqual([5, 6, 7, 0]);
    expect(Array.from(labels)).toEqual([1, 0]);
    expect(() => collateBatch([{ ids: [1], label: 0.5 }])).toThrow(
      /examples\[0\]\.label must be an integer class index, got 0.5/,
    );
  });
});
