import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';

export interface SpecAugmentOptions {
  /** Largest frequency mask width F (torchaudio's freq_mask_param); 0 for none. */
  freqMaskParam?: number;
  /** Number of frequency masks (default 1 when freqMaskParam > 0). */
  numFreqMasks?: number;
  /** Largest time mask width T (time_mask_param); 0 for none. */
  timeMaskParam?: number;
  /** Number of time masks (default 1 when timeMaskParam > 0). */
  numTimeMasks?: number;
  /** A time mask covers at most this fraction of the frames (torchaudio's p; default 1). */
  maxTimeRatio?: number;
  /** Value written into masked cells (default 0). */
  maskValue?: number;
  /** Seed or generator; masks are drawn on the host, so a seed gives the same masks on every backend. */
  random: number | SeededRandom;
}

const SPEC_AUGMENT_OPTIONS = optionKeys<SpecAugmentOptions>({
  freqMaskParam: true,
  numFreqMasks: true,
  timeMaskParam: true,
  numTimeMasks: true,
  maxTimeRatio: true,
  maskValue: true,
  random: true,
});

/**
 * SpecAugment (Park et al. 2019) frequency and time masking on [..., freq, frames]; each utterance
 * of a batch gets its own masks. Masks are drawn as torchaudio's mask_along_axis draws them:
 * width = floor(u * param), start = floor(v * (size - u * param)).
 */
export function specAugment(specgram: tf.Tensor, options: SpecAugmentOptions): tf.Tensor {
  const fn = 'specAugment';
  checkOptions(fn, options, SPEC_AUGMENT_OPTIONS);
  if (specgram.rank < 2)
    throw new Error(`${fn}: specgram must be [..., freq, frames], got shape [${specgram.shape.join(', ')}]`);
  const F = options.freqMaskParam ?? 0;
  const T = options.timeMaskParam ?? 0;
  for (const [name, v] of [
    ['freqMaskParam', F],
    ['timeMaskParam', T],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${fn}: ${name} must be a non-negative integer, got ${v}`);
  }
  const nF = options.numFreqMasks ?? (F > 0 ? 1 : 0);
  const nT = options.numTimeMasks ?? (T > 0 ? 1 : 0);
  for (const [name, v] of [
    ['numFreqMasks', nF],
    ['numTimeMasks', nT],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${fn}: ${name} must be a non-negative integer, got ${v}`);
  }
  const ratio = options.maxTimeRatio ?? 1;
  if (!(ratio > 0 && ratio <= 1)) throw new Error(`${fn}: maxTimeRatio must be in (0, 1], got ${ratio}`);
  if (options.random === undefined) throw new Error(`${fn}: random (a seed or a SeededRandom) is required`);
  const rng = options.random instanceof SeededRandom ? options.random : new SeededRandom(options.random);
  const [freq, frames] = specgram.shape.slice(-2);
  if (freq === undefined || frames === undefined)
    throw new Error(`${fn}: specgram must be [..., freq, frames], got shape [${specgram.shape.join(', ')}]`);
  if (F > freq) throw new Error(`${fn}: freqMaskParam (${F}) exceeds the ${freq} frequency bins`);
  const batch = specgram.size / (freq * frames);
  const keep = new Float32Array(specgram.size).fill(1);
  const draw = (param: number, size: number): [number, number] => {
    const value = rng.nextFloat() * param;
    const minValue = rng.nextFloat() * (size - value);
    const start = Math.floor(minValue);
    return [start, start + Math.floor(value)];
  };
  for (let b = 0; b < batch; b++) {
    const base = b * freq * frames;
    for (let m = 0; m < nF; m++) {
      const [s, e] = draw(F, freq);
      for (let f = s; f < e; f++) keep.fill(0, base + f * frames, base + (f + 1) * frames);
    }
    const tParam = Math.min(T, Math.floor(frames * ratio));
    for (let m = 0; m < nT; m++) {
      const [s, e] = draw(tParam, frames);
      for (let f = 0; f < freq; f++) keep.fill(0, base + f * frames + s, base + f * frames + e);
    }
  }
  const maskValue = options.maskValue ?? 0;
  return tf.tidy(() => {
    const k = tf.tensor(keep, specgram.shape, 'float32');
    const kept = tf.mul(specgram, k);
    return maskValue === 0 ? kept : tf.add(kept, tf.mul(tf.sub(1, k), maskValue));
  });
}
