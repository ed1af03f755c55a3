import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export interface DeltasOptions {
  /** Odd window length >= 3 (default 5, torchaudio's). */
  winLength?: number;
}

const DELTAS_OPTIONS = optionKeys<DeltasOptions>({ winLength: true });

/**
 * torchaudio.functional.compute_deltas along the last (time) axis of [..., features, frames]:
 * d_t = sum_{n=1..N} n (c_{t+n} - c_{t-n}) / (2 sum n^2), edges replicated.
 */
export function computeDeltas(specgram: tf.Tensor, deltaOptions?: DeltasOptions): tf.Tensor {
  const fn = 'computeDeltas';
  const options = checkOptions(fn, deltaOptions, DELTAS_OPTIONS);
  const winLength = options.winLength ?? 5;
  if (!Number.isInteger(winLength) || winLength < 3)
    throw new Error(`${fn}: winLength must be an integer >= 3, got ${winLength}`);
  if (specgram.rank < 1) throw new Error(`${fn}: specgram must have a time axis, got a scalar`);
  const n = Math.floor((winLength - 1) / 2);
  const denom = (n * (n + 1) * (2 * n + 1)) / 3;
  const axis = specgram.rank - 1;
  const frames = specgram.shape[axis];
  if (frames === undefined) throw new Error(`${fn}: specgram has no time axis`);
  if (frames === 0) throw new Error(`${fn}: specgram has 0 frames`);
  return tf.tidy(() => {
    let out: tf.Tensor = tf.zerosLike(specgram);
    for (let k = 1; k <= n; k++) {
      const ahead = new Int32Array(frames);
      const behind = new Int32Array(frames);
      for (let t = 0; t < frames; t++) {
        ahead[t] = Math.min(frames - 1, t + k);
        behind[t] = Math.max(0, t - k);
      }
      const diff = tf.sub(
        tf.gather(specgram, tf.tensor1d(ahead, 'int32'), axis),
        tf.gather(specgram, tf.tensor1d(behind, 'int32'), axis),
      );
      out = tf.add(out, tf.mul(diff, k / denom));
    }
    return out;
  });
}
