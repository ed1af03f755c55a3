import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, type OptionKeys } from '@rnnkit/tensor-core';

import { melFilterbankValues, type MelNorm, type MelScale } from '../spectral/mel_scale.js';
import { sparseBank, resolvesToHostFft } from '../spectral/host_spectrum.js';
import {
  as2d,
  dropBatch,
  hostPowerSpectrogram,
  powerFramesMajor,
  resolveStft,
  STFT_KEYS,
  type StftOptions,
} from '../spectral/stft.js';
import { checkPositive, checkPositiveInt, checkSignal } from '../spectral/validate.js';

/** torchaudio.transforms.MelSpectrogram's options, camelCase, with its defaults. */
export interface MelSpectrogramOptions extends StftOptions {
  /** Default 16000. */
  sampleRate?: number;
  /** Lowest filter edge in Hz (default 0). */
  fMin?: number;
  /** Highest filter edge in Hz (default sampleRate / 2). */
  fMax?: number | null;
  /** Number of mel bands (default 128). */
  nMels?: number;
  /** Exponent of the magnitude before the filterbank (default 2). */
  power?: number;
  /** Default 'htk'. */
  melScale?: MelScale;
  /** 'slaney' divides each triangle by its width (area normalisation); default null. */
  norm?: MelNorm;
  /**
   * Too many mels for the frequency resolution leave some filters all zero; torchaudio only warns
   * (its MFCC defaults, nFft 400 with nMels 128, do). Default false: an error naming nMels.
   */
  allowEmptyMelFilters?: boolean;
}

/** The keys of MelSpectrogramOptions, spread into LogMelSpectrogramOptions'. */
export const MEL_SPECTROGRAM_KEYS = {
  ...STFT_KEYS,
  sampleRate: true,
  fMin: true,
  fMax: true,
  nMels: true,
  power: true,
  melScale: true,
  norm: true,
  allowEmptyMelFilters: true,
} as const satisfies OptionKeys<MelSpectrogramOptions>;
/** The schema of MelSpectrogramOptions (also of mfcc's melkwargs). */
export const MEL_SPECTROGRAM_OPTIONS = optionKeys<MelSpectrogramOptions>(MEL_SPECTROGRAM_KEYS);

/** Resolved settings and a mel filterbank for them, shared by melSpectrogram, mfcc and the streaming extractor. */
export function resolveMel(fn: string, o: MelSpectrogramOptions) {
  const stft = resolveStft(fn, o);
  const sampleRate = checkPositive(fn, 'sampleRate', o.sampleRate ?? 16000);
  const nMels = checkPositiveInt(fn, 'nMels', o.nMels ?? 128);
  const power = checkPositive(fn, 'power', o.power ?? 2);
  const fMin = o.fMin ?? 0;
  const fMax = o.fMax ?? sampleRate / 2;
  const bankOptions = {
    nFreqs: stft.nFreqs,
    fMin,
    fMax,
    nMels,
    sampleRate,
    norm: o.norm ?? null,
    melScale: o.melScale ?? 'htk',
    allowEmptyFilters: o.allowEmptyMelFilters ?? false,
  };
  // Cached by settings: features are computed over many utterances (or chunks) with the same ones.
  const key = JSON.stringify(bankOptions);
  let filterbank = filterbanks.get(key);
  if (!filterbank) {
    filterbank = melFilterbankValues(fn, bankOptions);
    if (filterbanks.size >= 32) filterbanks.clear();
    filterbanks.set(key, filterbank);
  }
  return { stft, sampleRate, nMels, power, filterbank };
}

/** Read-only filterbank values (never handed to users, who get copies via melFilterbank()). */
const filterbanks = new Map<string, Float32Array>();

export type ResolvedMel = ReturnType<typeof resolveMel>;

/** Mel energies in torchaudio's layout: [batch, time] -> [batch, nMels, frames]. */
export function melFreqMajor(fn: string, signal2d: tf.Tensor2D, m: ResolvedMel): tf.Tensor3D {
  if (resolvesToHostFft(fn, m.stft.dftMethod)) {
    // Power and mel filters fused on the host (each filter touches only its few nonzero bins),
    // written straight into [batch, nMels, frames].
    return hostPowerSpectrogram(
      fn,
      signal2d,
      m.stft,
      m.power,
      sparseBank(m.filterbank, m.stft.nFreqs, m.nMels),
      true,
    );
  }
  return tf.tidy(() => {
    const spec = powerFramesMajor(fn, signal2d, m.stft, m.power);
    const [b, f, k] = spec.shape;
    const fb = tf.tensor2d(m.filterbank, [k, m.nMels]);
    const mel = tf.reshape(tf.matMul(tf.reshape(spec, [b * f, k]), fb), [b, f, m.nMels]);
    return tf.transpose(mel, [0, 2, 1]) as tf.Tensor3D;
  });
}

/**
 * torchaudio.transforms.MelSpectrogram: [time] -> [nMels, frames], [batch, time] -> [batch, nMels, frames].
 */
export function melSpectrogram(
  signal: tf.Tensor1D | tf.Tensor2D,
  options?: MelSpectrogramOptions,
): tf.Tensor {
  return melSpectrogramChecked(
    'melSpectrogram',
    signal,
    checkOptions('melSpectrogram', options, MEL_SPECTROGRAM_OPTIONS),
  );
}

/** melSpectrogram after its options were checked (logMelSpectrogram passes its own, larger set); errors name `fn`. */
export function melSpectrogramChecked(
  fn: string,
  signal: tf.Tensor1D | tf.Tensor2D,
  options: MelSpectrogramOptions,
): tf.Tensor {
  checkSignal(fn, signal);
  const m = resolveMel(fn, options);
  return tf.tidy(() => dropBatch(melFreqMajor(fn, as2d(signal), m), signal.rank));
}
