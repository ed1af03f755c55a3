import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { fixture, fixtureCases } from '../__fixtures__/load.js';
import { computeDeltas } from './deltas.js';

describeWithBackends('computeDeltas', () => {
  for (const c of fixtureCases('deltas', 2)) {
    it(`matches torchaudio.functional.compute_deltas (winLength ${c.winLength})`, async () => {
      const input = fixture(c.input);
      const expected = fixture(c.name);
      const x = tf.tensor(input.values, input.shape);
      const d = computeDeltas(x, { winLength: c.winLength });
      expect(d.shape).toEqual(expected.shape);
      expectArraysClose(await d.data(), expected.values, { atol: 1e-4, rtol: 1e-5 });
      tf.dispose([x, d]);
    });
  }

  it('rejects an even or too short window', () => {
    const x = tf.zeros([2, 5]);
    expect(() => computeDeltas(x, { winLength: 2 })).toThrow(/winLength must be an integer >= 3, got 2/);
    x.dispose();
  });
});
