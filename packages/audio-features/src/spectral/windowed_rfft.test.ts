import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { windowValues } from './window.js';
import { windowedRfft } from './windowed_rfft.js';

/** float64 DFT of one frame whose samples sit at offset..offset+rows-1 of an nFft-long frame. */
function naive(
  frame: Float32Array,
  window: Float32Array,
  nFft: number,
  offset: number,
): [number[], number[]] {
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k <= nFft / 2; k++) {
    let r = 0;
    let i = 0;
    for (let j = 0; j < frame.length; j++) {
      const a = (2 * Math.PI * k * (j + offset)) / nFft;
      r += frame[j]! * window[j]! * Math.cos(a);
      i -= frame[j]! * window[j]! * Math.sin(a);
    }
    re.push(r);
    im.push(i);
  }
  return [re, im];
}

describeWithBackends('windowedRfft', () => {
  for (const [nFft, rows, offset] of [
    [512, 400, 56],
    [400, 400, 0],
    [256, 200, 28],
    [97, 97, 0],
    [64, 50, 7],
  ] as const) {
    it(`direct and factored agree with a float64 DFT (nFft ${nFft}, ${rows} samples at offset ${offset})`, async () => {
      const m = 3;
      const frames = new Float32Array(m * rows).map((_, i) => Math.sin(i * 0.37) + 0.2 * Math.cos(i * 2.1));
      const window = windowValues('hann', rows);
      const x = tf.tensor2d(frames, [m, rows]);
      const methods =
        nFft === 97 ? (['direct', 'auto'] as const) : (['direct', 'folded', 'factored', 'auto'] as const);
      for (const method of methods) {
        const { real, imag } = tf.tidy(() => windowedRfft(x, nFft, window, offset, { method }));
        expect(real.shape).toEqual([m, Math.floor(nFft / 2) + 1]);
        const re = await real.data();
        const im = await imag.data();
        const n = real.shape[1];
        for (let f = 0; f < m; f++) {
          const [er, ei] = naive(frames.subarray(f * rows, (f + 1) * rows), window, nFft, offset);
          expectArraysClose(re.subarray(f * n, (f + 1) * n), er, { atol: 2e-4 });
          expectArraysClose(im.subarray(f * n, (f + 1) * n), ei, { atol: 2e-4 });
        }
        tf.dispose([real, imag]);
      }
      expect(() => windowedRfft(x, 97, window, 0, { method: 'factored' })).toThrow(
        'windowedRfft: nFft = 97 has no usable factorisation',
      );
      expect(() => windowedRfft(x, 97, window, 0, { method: 'folded' })).toThrow(
        "windowedRfft: 'folded' needs an even nFft, got 97",
      );
      x.dispose();
    });
  }
});
