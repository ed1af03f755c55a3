import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { amplitudeToDb } from './amplitude_to_db.js';
import {
  MEL_SPECTROGRAM_KEYS,
  melSpectrogramChecked,
  type MelSpectrogramOptions,
} from './mel_spectrogram.js';

export interface LogMelSpectrogramOptions extends MelSpectrogramOptions {
  /** 'ln': natural log of max(mel, floor) (default); 'db': AmplitudeToDB('power', topDb). */
  log?: 'ln' | 'db';
  /** Floor before the natural log (default 1e-6, as torchaudio's MFCC with logMels). */
  floor?: number;
  /** For log 'db': dynamic range per utterance (default 80, as torchaudio's MFCC). */
  topDb?: number | null;
}

/** The schema of LogMelSpectrogramOptions. */
export const LOG_MEL_SPECTROGRAM_OPTIONS = optionKeys<LogMelSpectrogramOptions>({
  ...MEL_SPECTROGRAM_KEYS,
  log: true,
  floor: true,
  topDb: true,
});

/** Log-mel spectrogram, [..., nMels, frames]. */
export function logMelSpectrogram(
  signal: tf.Tensor1D | tf.Tensor2D,
  logMelOptions?: LogMelSpectrogramOptions,
): tf.Tensor {
  const fn = 'logMelSpectrogram';
  const options = checkOptions(fn, logMelOptions, LOG_MEL_SPECTROGRAM_OPTIONS);
  const log = options.log ?? 'ln';
  if (log !== 'ln' && log !== 'db')
    throw new Error(`${fn}: log must be 'ln' or 'db', got ${JSON.stringify(log)}`);
  const floor = options.floor ?? 1e-6;
  if (!(floor > 0)) throw new Error(`${fn}: floor must be > 0, got ${floor}`);
  return tf.tidy(() => {
    const mel = melSpectrogramChecked(fn, signal, options);
    if (log === 'ln') return tf.log(tf.maximum(mel, floor));
    return amplitudeToDb(mel, { stype: 'power', topDb: options.topDb === undefined ? 80 : options.topDb });
  });
}
