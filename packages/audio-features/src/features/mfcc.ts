import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { dctMatrixValues } from '../spectral/dct.js';
import { as2d, dropBatch } from '../spectral/stft.js';
import { checkPositiveInt, checkSignal } from '../spectral/validate.js';
import {
  MEL_SPECTROGRAM_OPTIONS,
  melFreqMajor,
  resolveMel,
  type MelSpectrogramOptions,
} from './mel_spectrogram.js';

export interface MfccOptions {
  /** Default 16000 (overrides melkwargs.sampleRate, as in torchaudio). */
  sampleRate?: number;
  /** Number of coefficients kept (default 40). */
  nMfcc?: number;
  /** DCT normalisation (default 'ortho'). */
  norm?: 'ortho' | null;
  /** true: ln(mel + 1e-6); false (default): AmplitudeToDB('power', topDb = 80). */
  logMels?: boolean;
  /** dB range for logMels = false (default 80, torchaudio's fixed value). */
  topDb?: number | null;
  /**
   * Cepstral liftering c_n *= 1 + (L / 2) sin(pi n / L) (Kaldi's --cepstral-lifter; HTK uses 22).
   * Default 0: none, as torchaudio.
   */
  lifter?: number;
  /** MelSpectrogram options (torchaudio's melkwargs). */
  melkwargs?: MelSpectrogramOptions;
}

/** The schema of MfccOptions (melkwargs is checked against MelSpectrogramOptions' keys). */
export const MFCC_OPTIONS = optionKeys<MfccOptions>({
  sampleRate: true,
  nMfcc: true,
  norm: true,
  logMels: true,
  topDb: true,
  lifter: true,
  melkwargs: true,
});

/** Checks mfcc options and the nested melkwargs under `fn`. */
export function checkMfccOptions(fn: string, options: MfccOptions | undefined): MfccOptions {
  const checked = checkOptions(fn, options, MFCC_OPTIONS);
  checkOptions(`${fn}: melkwargs`, checked.melkwargs, MEL_SPECTROGRAM_OPTIONS);
  return checked;
}

/** torchaudio.transforms.MFCC: [time] -> [nMfcc, frames], [batch, time] -> [batch, nMfcc, frames]. */
export function mfcc(signal: tf.Tensor1D | tf.Tensor2D, mfccOptions?: MfccOptions): tf.Tensor {
  const fn = 'mfcc';
  const options = checkMfccOptions(fn, mfccOptions);
  checkSignal(fn, signal);
  const nMfcc = checkPositiveInt(fn, 'nMfcc', options.nMfcc ?? 40);
  const m = resolveMel(fn, { ...options.melkwargs, sampleRate: options.sampleRate ?? 16000 });
  if (nMfcc > m.nMels) throw new Error(`${fn}: nMfcc (${nMfcc}) cannot exceed melkwargs.nMels (${m.nMels})`);
  const norm = options.norm === undefined ? 'ortho' : options.norm;
  if (norm !== 'ortho' && norm !== null)
    throw new Error(`${fn}: norm must be 'ortho' or null, got ${JSON.stringify(norm)}`);
  const lifter = options.lifter ?? 0;
  if (options.logMels !== undefined && typeof options.logMels !== 'boolean')
    throw new TypeError(`${fn}: logMels must be a boolean, got ${JSON.stringify(options.logMels)}`);
  if (!(lifter >= 0)) throw new Error(`${fn}: lifter must be >= 0, got ${lifter}`);
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  const dct = dctMatrixValues(nMfcc, m.nMels, norm);
  // Transposed to [nMfcc, nMels], so that coefficients = dct @ logMel [nMels, frames] need no transpose.
  const dctT = new Float32Array(nMfcc * m.nMels);
  for (let k = 0; k < nMfcc; k++) {
    const g = lifter > 0 ? 1 + (lifter / 2) * Math.sin((Math.PI * k) / lifter) : 1;
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- dct is [nMels, nMfcc]: n < nMels, k < nMfcc
    for (let n = 0; n < m.nMels; n++) dctT[k * m.nMels + n] = dct[n * nMfcc + k]! * g;
  }
  return tf.tidy(() => {
    const mel = melFreqMajor(fn, as2d(signal), m); // [b, nMels, frames]
    let logMel: tf.Tensor;
    if (options.logMels) {
      logMel = tf.log(tf.add(mel, 1e-6));
    } else {
      logMel = tf.mul(tf.log(tf.maximum(mel, 1e-10)), 10 / Math.LN10);
      if (topDb !== null) logMel = tf.maximum(logMel, tf.sub(tf.max(logMel, [1, 2], true), topDb));
    }
    const b = mel.shape[0];
    const basis = tf.tensor3d(dctT, [1, nMfcc, m.nMels]);
    const coeffs = tf.matMul(b === 1 ? basis : tf.tile(basis, [b, 1, 1]), logMel as tf.Tensor3D); // [b, nMfcc, frames]
    return dropBatch(coeffs, signal.rank);
  });
}
