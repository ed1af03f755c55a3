import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export interface AmplitudeToDbOptions {
  /** 'power' (10 log10) or 'magnitude' (20 log10); default 'power'. */
  stype?: 'power' | 'magnitude';
  /** Values below max - topDb (per utterance) are raised to it; default none. */
  topDb?: number | null;
  /** Clamp before the log (default 1e-10). */
  amin?: number;
  /** Reference value (default 1). */
  ref?: number;
}

const AMPLITUDE_TO_DB_OPTIONS = optionKeys<AmplitudeToDbOptions>({
  stype: true,
  topDb: true,
  amin: true,
  ref: true,
});

/**
 * torchaudio.transforms.AmplitudeToDB on [..., bins, frames]. The topDb clamp uses the maximum of
 * each [bins, frames] matrix (per utterance). torchaudio does that for 2-D and 4-D input, but for
 * 3-D input it treats dim 0 as channels and takes one maximum over all of them.
 */
export function amplitudeToDb(x: tf.Tensor, dbOptions?: AmplitudeToDbOptions): tf.Tensor {
  const fn = 'amplitudeToDb';
  const options = checkOptions(fn, dbOptions, AMPLITUDE_TO_DB_OPTIONS);
  if (x.rank < 2)
    throw new Error(`${fn}: x must have shape [..., bins, frames], got [${x.shape.join(', ')}]`);
  const multiplier = (options.stype ?? 'power') === 'power' ? 10 : 20;
  if (options.stype !== undefined && options.stype !== 'power' && options.stype !== 'magnitude') {
    throw new Error(`${fn}: stype must be 'power' or 'magnitude', got ${JSON.stringify(options.stype)}`);
  }
  const amin = options.amin ?? 1e-10;
  if (!(amin > 0)) throw new Error(`${fn}: amin must be > 0, got ${amin}`);
  const ref = options.ref ?? 1;
  if (!(ref > 0)) throw new Error(`${fn}: ref must be > 0, got ${ref}`);
  const topDb = options.topDb ?? null;
  if (topDb !== null && !(topDb >= 0)) throw new Error(`${fn}: topDb must be >= 0 or null, got ${topDb}`);
  return tf.tidy(() => {
    const dbOffset = multiplier * Math.log10(Math.max(amin, ref));
    let db = tf.mul(tf.log(tf.maximum(x, amin)), multiplier / Math.LN10);
    if (dbOffset !== 0) db = tf.sub(db, dbOffset);
    if (topDb !== null) {
      const peak = tf.max(db, [x.rank - 2, x.rank - 1], true);
      db = tf.maximum(db, tf.sub(peak, topDb));
    }
    return db;
  });
}
