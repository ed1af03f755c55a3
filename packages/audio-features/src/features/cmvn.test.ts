import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { cmvn, GlobalCmvn } from './cmvn.js';

// [2 utterances, 3 features, 4 frames]
const values = [
  [
    [1, 2, 3, 6],
    [0, 0, 4, 4],
    [-1, 1, -1, 1],
  ],
  [
    [10, 10, 10, 10],
    [1, 3, 5, 7],
    [2, 2, 4, 4],
  ],
];

function meanStd(row: number[]): [number, number] {
  const m = row.reduce((a, b) => a + b, 0) / row.length;
  return [m, Math.sqrt(row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length)];
}

describeWithBackends('cmvn', () => {
  it('normalises each utterance over its frames', async () => {
    const x = tf.tensor3d(values);
    const mean = cmvn(x);
    const both = cmvn(x, { normVars: true });
    const expectedMean = values.map((u) => u.map((row) => row.map((v) => v - meanStd(row)[0])));
    const expectedBoth = values.map((u) =>
      u.map((row) => row.map((v) => (v - meanStd(row)[0]) / (meanStd(row)[1] + 1e-10))),
    );
    expectArraysClose(await mean.data(), expectedMean.flat(2), { atol: 1e-5 });
    expectArraysClose(await both.data(), expectedBoth.flat(2), { atol: 1e-4 });
    // [frames, bins] layout (kaldiFbank): timeAxis -2.
    const t = tf.transpose(tf.squeeze(tf.slice(x, [0], [1]), [0]));
    const kaldiLayout = cmvn(t, { timeAxis: -2 });
    expectArraysClose(await tf.transpose(kaldiLayout).data(), expectedMean[0]!.flat(), { atol: 1e-5 });
    expect(() => cmvn(x, { timeAxis: 3 })).toThrow('cmvn: timeAxis 3 is out of range for rank 3');
    tf.dispose([x, mean, both, t, kaldiLayout]);
  });

  it('GlobalCmvn accumulates statistics over batches and applies them', async () => {
    const g = new GlobalCmvn({ normVars: true });
    expect(() => g.stats()).toThrow(/no frames accumulated/);
    const a = tf.tensor3d([values[0]!]);
    const b = tf.tensor2d(values[1]!);
    await g.accumulate(a);
    await g.accumulate(b);
    expect(g.count).toBe(8);
    const { mean, std } = g.stats();
    const perFeature = [0, 1, 2].map((f) => meanStd([...values[0]![f]!, ...values[1]![f]!]));
    expectArraysClose(
      mean,
      perFeature.map((p) => p[0]),
      { atol: 1e-5 },
    );
    expectArraysClose(
      std,
      perFeature.map((p) => p[1]),
      { atol: 1e-5 },
    );
    const out = g.apply(b);
    const expected = values[1]!.map((row, f) => row.map((v) => (v - perFeature[f]![0]) / perFeature[f]![1]));
    expectArraysClose(await out.data(), expected.flat(), { atol: 1e-4 });
    const wrong = tf.zeros([5, 4]);
    await expect(g.accumulate(wrong)).rejects.toThrow(
      'GlobalCmvn.accumulate: features have 5 dimensions, earlier batches had 3',
    );
    tf.dispose([a, b, out, wrong]);
  });
});
