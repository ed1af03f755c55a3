import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '@rnnkit/tensor-core/testing';

import { kaldiFbank } from '../kaldi/kaldi_fbank.js';
import { logMelSpectrogram } from './log_mel_spectrogram.js';
import { melSpectrogram } from './mel_spectrogram.js';
import { mfcc } from './mfcc.js';
import { amplitudeToDb } from './amplitude_to_db.js';

describe('feature argument errors', () => {
  const s = tf.zeros([4000]) as tf.Tensor1D;

  it('melSpectrogram: too many mels for the frequency bins, bad ranges and scales', () => {
    expect(() => melSpectrogram(s, { nFft: 64, nMels: 128 })).toThrow(
      /melSpectrogram: nMels = 128 is too large for 33 frequency bins between fMin = 0 and fMax = 8000 Hz: mel filter \d+ has no non-zero weight/,
    );
    expect(() => melSpectrogram(s, { fMax: 9000 })).toThrow(
      'melSpectrogram: fMax (9000) exceeds the Nyquist frequency sampleRate / 2 = 8000',
    );
    expect(() => melSpectrogram(s, { fMin: 500, fMax: 400 })).toThrow(
      /fMax \(400\) must be greater than fMin \(500\)/,
    );
    expect(() => melSpectrogram(s, { melScale: 'mel' as never })).toThrow(
      /melScale must be 'htk' or 'slaney'/,
    );
    expect(() => melSpectrogram(s, { norm: 'area' as never })).toThrow(/norm must be 'slaney' or null/);
    expect(() => melSpectrogram(s, { nFft: 128, winLength: 256 })).toThrow(
      'melSpectrogram: nFft (128) must be >= winLength (256)',
    );
    expect(() => melSpectrogram(s, { hopLength: 0 })).toThrow(
      'melSpectrogram: hopLength must be a positive integer, got 0',
    );
    expect(() => melSpectrogram(tf.zeros([10], 'int32') as tf.Tensor1D)).toThrow(
      'melSpectrogram: signal must be float32, got int32',
    );
  });

  it('mfcc and logMelSpectrogram', () => {
    expect(() => mfcc(s, { nMfcc: 50, melkwargs: { nMels: 40 } })).toThrow(
      'mfcc: nMfcc (50) cannot exceed melkwargs.nMels (40)',
    );
    expect(() => mfcc(s, { lifter: -1, melkwargs: { nMels: 40 } })).toThrow(/lifter must be >= 0/);
    expect(() => logMelSpectrogram(s, { log: 'log10' as never })).toThrow(/log must be 'ln' or 'db'/);
    expect(() => logMelSpectrogram(s, { floor: 0 })).toThrow(/floor must be > 0, got 0/);
    // torchaudio's own MFCC defaults (nFft 400, nMels 128) leave empty mel filters: an error unless allowed.
    expect(() => mfcc(s)).toThrow(/mfcc: nMels = 128 is too large for 201 frequency bins/);
    const allowed = mfcc(s, { melkwargs: { allowEmptyMelFilters: true } });
    expect(allowed.shape[0]).toBe(40);
    allowed.dispose();
    expect(() => amplitudeToDb(tf.zeros([3]))).toThrow(/x must have shape \[..., bins, frames\]/);
  });

  it('kaldiFbank', () => {
    expect(() => kaldiFbank(tf.zeros([300]) as tf.Tensor1D)).toThrow(
      'kaldiFbank: signal has 300 samples, fewer than one frame (frameLength = 25 ms = 400 samples)',
    );
    expect(() => kaldiFbank(s, { numMelBins: 200 })).toThrow(
      /numMelBins = 200 is too large for a 512-point FFT/,
    );
    expect(() => kaldiFbank(s, { highFreq: 9000 })).toThrow(
      /highFreq resolves to 9000 Hz; it must be in \(lowFreq = 20, 8000\]/,
    );
    expect(() => kaldiFbank(s, { lowFreq: 8000 })).toThrow(/lowFreq must be in \[0, 8000\)/);
    expect(() => kaldiFbank(s, { windowType: 'kaiser' as never })).toThrow(/windowType must be one of/);
    expect(() => kaldiFbank(s, { frameShift: 0 })).toThrow(
      /frameShift must be a positive finite number, got 0/,
    );
    expect(() => kaldiFbank(s, { vtlnWarp: 0.9 })).toThrow(/vtlnWarp = 0.9 is not supported/);
  });

  it('leaks no tensors', async () => {
    const x = tf.randomNormal([2, 4000]) as tf.Tensor2D;
    await expectNoTensorLeak(() => {
      melSpectrogram(x, { nMels: 40 }).dispose();
      mfcc(x, { nMfcc: 13, melkwargs: { nMels: 40 } }).dispose();
      mfcc(x, { logMels: true, lifter: 22, melkwargs: { nMels: 40 } }).dispose();
      logMelSpectrogram(x, { log: 'db', nMels: 40 }).dispose();
      kaldiFbank(x, { useEnergy: true, dither: 1, subtractMean: true }).dispose();
    });
    x.dispose();
  });
});
