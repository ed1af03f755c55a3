import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { fixture } from '../__fixtures__/load.js';
import { createWindow, windowValues } from './window.js';

describeWithBackends('createWindow', () => {
  it('matches torch.hann_window / hamming_window (periodic and symmetric)', async () => {
    const cases: Array<[tf.Tensor, string]> = [
      [createWindow('hann', 16), 'window_hann16'],
      [createWindow('hamming', 16), 'window_hamming16'],
      [createWindow('hann', 16, { periodic: false }), 'window_hann16_symmetric'],
    ];
    for (const [w, name] of cases) expectArraysClose(await w.data(), fixture(name).values, { atol: 1e-6 });
    tf.dispose(cases.map(([w]) => w));
  });

  it("povey is Kaldi's symmetric Hann to the power 0.85", () => {
    const w = windowValues('povey', 9);
    const hann = windowValues('hann', 9, false);
    for (let i = 0; i < 9; i++) expect(w[i]).toBeCloseTo(Math.pow(hann[i]!, 0.85), 6);
    expect(w[4]).toBeCloseTo(1, 6);
  });

  it('rejects unknown types and bad lengths', () => {
    expect(() => createWindow('kaiser' as never, 8)).toThrow(
      /createWindow: type must be one of hann, hamming, povey/,
    );
    expect(() => createWindow('hann', 0)).toThrow(/length must be a positive integer, got 0/);
  });
});
