import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export type MelScale = 'htk' | 'slaney';
export type MelNorm = 'slaney' | null;

export function hzToMel(freq: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + freq / 700);
  // Slaney (librosa's default): linear below 1 kHz, logarithmic above.
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return freq >= minLogHz ? minLogMel + Math.log(freq / minLogHz) / logstep : freq / fSp;
}

export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (Math.pow(10, mel / 2595) - 1);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return mel >= minLogMel ? minLogHz * Math.exp(logstep * (mel - minLogMel)) : fSp * mel;
}

export interface MelFilterbankOptions {
  nFreqs: number;
  fMin: number;
  fMax: number;
  nMels: number;
  sampleRate: number;
  norm?: MelNorm;
  melScale?: MelScale;
  /** Accept filters with no non-zero weight (torchaudio only warns); default false: an error. */
  allowEmptyFilters?: boolean;
}

const MEL_FILTERBANK_OPTIONS = optionKeys<MelFilterbankOptions>({
  nFreqs: true,
  fMin: true,
  fMax: true,
  nMels: true,
  sampleRate: true,
  norm: true,
  melScale: true,
  allowEmptyFilters: true,
});

/**
 * Triangular mel filters as torchaudio.functional.melscale_fbanks builds them, row-major
 * [nFreqs, nMels]. torchaudio only warns when a filter is all zero (too many mels for the
 * frequency resolution); here that is an error naming nMels, since such a band is silently
 * constant (and -inf or the floor after a log).
 */
export function melFilterbankValues(fn: string, o: MelFilterbankOptions): Float32Array {
  const { nFreqs, fMin, fMax, nMels, sampleRate } = o;
  const scale = o.melScale ?? 'htk';
  const norm = o.norm ?? null;
  if (scale !== 'htk' && scale !== 'slaney')
    throw new Error(`${fn}: melScale must be 'htk' or 'slaney', got ${JSON.stringify(scale)}`);
  if (norm !== null && norm !== 'slaney')
    throw new Error(`${fn}: norm must be 'slaney' or null, got ${JSON.stringify(norm)}`);
  if (!Number.isInteger(nMels) || nMels < 1)
    throw new Error(`${fn}: nMels must be a positive integer, got ${nMels}`);
  if (!(fMin >= 0)) throw new Error(`${fn}: fMin must be >= 0, got ${fMin}`);
  if (!(fMax > fMin)) throw new Error(`${fn}: fMax (${fMax}) must be greater than fMin (${fMin})`);
  if (fMax > sampleRate / 2)
    throw new Error(`${fn}: fMax (${fMax}) exceeds the Nyquist frequency sampleRate / 2 = ${sampleRate / 2}`);
  const allFreqs = new Float64Array(nFreqs);
  const top = Math.floor(sampleRate / 2); // torchaudio: linspace(0, sample_rate // 2, n_freqs)
  for (let i = 0; i < nFreqs; i++) allFreqs[i] = nFreqs === 1 ? 0 : (top * i) / (nFreqs - 1);
  const mMin = hzToMel(fMin, scale);
  const mMax = hzToMel(fMax, scale);
  const fPts = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) fPts[i] = melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1), scale);
  const fb = new Float32Array(nFreqs * nMels);
  for (let m = 0; m < nMels; m++) {
    const enorm = norm === 'slaney' ? 2 / (fPts[m + 2]! - fPts[m]!) : 1;
    let peak = 0;
    for (let f = 0; f < nFreqs; f++) {
      const down = (allFreqs[f]! - fPts[m]!) / (fPts[m + 1]! - fPts[m]!);
      const up = (fPts[m + 2]! - allFreqs[f]!) / (fPts[m + 2]! - fPts[m + 1]!);
      const v = Math.max(0, Math.min(down, up)) * enorm;
      fb[f * nMels + m] = v;
      peak = Math.max(peak, v);
    }
    if (peak === 0 && !o.allowEmptyFilters) {
      throw new Error(
        `${fn}: nMels = ${nMels} is too large for ${nFreqs} frequency bins between fMin = ${fMin} and fMax = ${fMax} Hz: ` +
          `mel filter ${m} has no non-zero weight (use fewer mels or a larger nFft, or allowEmptyMelFilters: true to accept it as torchaudio does)`,
      );
    }
  }
  return fb;
}

/** torchaudio.functional.melscale_fbanks as a tensor [nFreqs, nMels]. */
export function melFilterbank(options: MelFilterbankOptions): tf.Tensor2D {
  checkOptions('melFilterbank', options, MEL_FILTERBANK_OPTIONS);
  return tf.tensor2d(
    melFilterbankValues('melFilterbank', options),
    [options.nFreqs, options.nMels],
    'float32',
  );
}
