import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { specAugment } from './spec_augment.js';

describeWithBackends('specAugment', () => {
  const shape = [3, 20, 50];
  it('masks whole bands and frame ranges, each utterance its own, reproducibly per seed', async () => {
    const x = tf.ones(shape);
    const opts = { freqMaskParam: 8, timeMaskParam: 15, numFreqMasks: 2, numTimeMasks: 2, random: 7 };
    const y = specAugment(x, opts);
    const again = specAugment(x, { ...opts, random: new SeededRandom(7) });
    const other = specAugment(x, { ...opts, random: 8 });
    const v = (await y.array()) as number[][][];
    expect(await again.array()).toEqual(v);
    expect(await other.array()).not.toEqual(v);
    const masks = v.map((u) => {
      const rows = u.map((row) => row.every((c) => c === 0));
      const cols = u[0]!.map((_, t) => u.every((row) => row[t] === 0));
      // Every zero lies in a fully masked row or column.
      u.forEach((row, f) => row.forEach((c, t) => expect(c === 0).toBe(rows[f]! || cols[t]!)));
      const maskedRows = rows.filter(Boolean).length;
      const maskedCols = cols.filter(Boolean).length;
      expect(maskedRows).toBeLessThanOrEqual(2 * 8);
      expect(maskedCols).toBeLessThanOrEqual(2 * 15);
      return JSON.stringify([rows, cols]);
    });
    expect(new Set(masks).size).toBeGreaterThan(1);
    tf.dispose([x, y, again, other]);
  });

  it('writes maskValue and validates its options', async () => {
    const x = tf.ones([4, 6]);
    const y = specAugment(x, { freqMaskParam: 4, random: 3, maskValue: -5 });
    const vals = Array.from(await y.data());
    expect(vals.every((c) => c === 1 || c === -5)).toBe(true);
    expect(() => specAugment(x, { freqMaskParam: 5, random: 1 })).toThrow(
      'specAugment: freqMaskParam (5) exceeds the 4 frequency bins',
    );
    expect(() => specAugment(x, { timeMaskParam: -1, random: 1 })).toThrow(
      /timeMaskParam must be a non-negative integer, got -1/,
    );
    expect(() => specAugment(x, {} as never)).toThrow(/random \(a seed or a SeededRandom\) is required/);
    tf.dispose([x, y]);
  });
});
