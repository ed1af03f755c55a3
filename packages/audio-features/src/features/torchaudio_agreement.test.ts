import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { fixture, fixtureCases } from '../__fixtures__/load.js';
import { kaldiFbank, type KaldiFbankOptions } from '../kaldi/kaldi_fbank.js';
import { melSpectrogram, type MelSpectrogramOptions } from './mel_spectrogram.js';
import { mfcc, type MfccOptions } from './mfcc.js';

/** rtol 1e-4, plus an atol far below the signal's scale for bins that are nearly zero. */
function closeRelative(actual: Float32Array, expected: Float32Array): void {
  let peak = 0;
  for (const v of expected) peak = Math.max(peak, Math.abs(v));
  expectArraysClose(actual, expected, { rtol: 1e-4, atol: 1e-6 * peak });
}

/** A fixture case without its `name`, which is not an option (options are checked for unknown keys). */
function optionsOf<T>(c: { name: string }): T {
  const { name: _name, ...options } = c;
  return options as T;
}

describeWithBackends('agreement with torchaudio', () => {
  for (const c of fixtureCases('melSpectrogram', 4)) {
    it(`melSpectrogram ${c.name}: ${JSON.stringify(c)}`, async () => {
      const expected = fixture(c.name);
      const signal = fixture('signal16k');
      const x = tf.tensor2d(signal.values, signal.shape as [number, number]);
      const out = melSpectrogram(x, optionsOf<MelSpectrogramOptions>(c));
      expect(out.shape).toEqual(expected.shape);
      closeRelative((await out.data()) as Float32Array, expected.values);
      // A Tensor1D gives the first row without the batch axis.
      const one = melSpectrogram(
        tf.tensor1d(signal.values.subarray(0, signal.shape[1])),
        optionsOf<MelSpectrogramOptions>(c),
      );
      expect(one.shape).toEqual(expected.shape.slice(1));
      closeRelative((await one.data()) as Float32Array, expected.values.subarray(0, one.size));
      tf.dispose([x, out, one]);
    });
  }

  for (const c of fixtureCases('mfcc', 3)) {
    it(`mfcc ${c.name}: ${JSON.stringify(c)}`, async () => {
      const expected = fixture(c.name);
      const signal = fixture('signal16k');
      const x = tf.tensor2d(signal.values, signal.shape as [number, number]);
      const out = mfcc(x, optionsOf<MfccOptions>(c));
      expect(out.shape).toEqual(expected.shape);
      expectArraysClose(await out.data(), expected.values, { atol: 1e-3, rtol: 1e-4 });
      tf.dispose([x, out]);
    });
  }

  for (const c of fixtureCases('kaldiFbank', 5)) {
    it(`kaldiFbank ${c.name}: ${JSON.stringify(c)}`, async () => {
      const expected = fixture(c.name);
      const signal = fixture('signal16k');
      const row = signal.values.slice(0, signal.shape[1]).map((v) => v * 32768);
      const x = tf.tensor1d(row);
      const out = kaldiFbank(x, optionsOf<KaldiFbankOptions>(c));
      expect(out.shape).toEqual(expected.shape);
      const actual = (await out.data()) as Float32Array;
      if (c.useLogFbank === false) closeRelative(actual, expected.values);
      else expectArraysClose(actual, expected.values, { atol: 1e-3, rtol: 1e-4 });
      tf.dispose([x, out]);
    });
  }
});
