import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export interface CmvnOptions {
  /** The frames axis (default -1, for [..., features, frames]; use -2 for kaldiFbank's [frames, bins]). */
  timeAxis?: number;
  /** Also divide by the standard deviation (default false: mean normalisation only, as Kaldi's apply-cmvn). */
  normVars?: boolean;
  /** Added to the standard deviation (default 1e-10). */
  eps?: number;
}

const CMVN_OPTIONS = optionKeys<CmvnOptions>({ timeAxis: true, normVars: true, eps: true });

function resolveAxis(fn: string, rank: number, axis: number): number {
  const a = axis < 0 ? rank + axis : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank)
    throw new Error(`${fn}: timeAxis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Per-utterance cepstral mean (and variance) normalisation over the frames of each utterance. */
export function cmvn(features: tf.Tensor, cmvnOptions?: CmvnOptions): tf.Tensor {
  const fn = 'cmvn';
  const options = checkOptions(fn, cmvnOptions, CMVN_OPTIONS);
  const axis = resolveAxis(fn, features.rank, options.timeAxis ?? -1);
  const eps = options.eps ?? 1e-10;
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(features, axis, true);
    const centred = tf.sub(features, mean);
    return options.normVars ? tf.div(centred, tf.add(tf.sqrt(variance), eps)) : centred;
  });
}

/**
 * Global CMVN: accumulate per-feature statistics over a corpus, then normalise with them (what
 * Kaldi's global cmvn.ark / ESPnet's global_cmvn do). Statistics are kept in float64 on the host.
 */
export class GlobalCmvn {
  private sum: Float64Array | null = null;
  private sumSq: Float64Array | null = null;
  private frames = 0;

  private readonly options: CmvnOptions;

  constructor(options?: CmvnOptions) {
    this.options = checkOptions('GlobalCmvn', options, CMVN_OPTIONS);
  }

  /** Number of frames accumulated so far. */
  get count(): number {
    return this.frames;
  }

  /** Adds the frames of `features` ([..., features, frames] with the default timeAxis). */
  async accumulate(features: tf.Tensor): Promise<void> {
    const fn = 'GlobalCmvn.accumulate';
    const axis = resolveAxis(fn, features.rank, this.options.timeAxis ?? -1);
    const featAxis = axis === features.rank - 1 ? features.rank - 2 : features.rank - 1;
    if (featAxis < 0)
      throw new Error(
        `${fn}: features need a feature axis and a time axis, got shape [${features.shape.join(', ')}]`,
      );
    const dim = features.shape[featAxis];
    if (dim === undefined)
      throw new Error(`${fn}: feature axis ${featAxis} is out of range for rank ${features.rank}`);
    if (this.sum && this.sum.length !== dim)
      throw new Error(`${fn}: features have ${dim} dimensions, earlier batches had ${this.sum.length}`);
    // Move the feature axis last and flatten everything else into rows.
    const perm = [...Array(features.rank).keys()].filter((a) => a !== featAxis).concat([featAxis]);
    const rows = tf.tidy(() => tf.reshape(tf.transpose(features, perm), [-1, dim]));
    const values = (await rows.data()) as Float32Array;
    rows.dispose();
    const sum = (this.sum ??= new Float64Array(dim));
    const sumSq = (this.sumSq ??= new Float64Array(dim));
    let i = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) throw new Error(`${fn}: features contain ${v}`);
      const d = i++ % dim;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- d = i % dim < dim = sum.length
      sum[d]! += v;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- d = i % dim < dim = sumSq.length
      sumSq[d]! += v * v;
    }
    this.frames += values.length / dim;
  }

  /** Mean and standard deviation per feature. */
  stats(): { mean: Float32Array; std: Float32Array } {
    const { sum, sumSq, frames } = this;
    if (!sum || !sumSq || frames === 0) throw new Error('GlobalCmvn.stats: no frames accumulated yet');
    const mean = new Float32Array(sum.length);
    const std = new Float32Array(sum.length);
    sum.forEach((s, i) => {
      const sq = sumSq[i];
      if (sq === undefined)
        throw new Error(`GlobalCmvn.stats: ${sum.length} sums but ${sumSq.length} sums of squares`);
      const m = s / frames;
      mean[i] = m;
      std[i] = Math.sqrt(Math.max(0, sq / frames - m * m));
    });
    return { mean, std };
  }

  /** Normalises `features` with the accumulated statistics. */
  apply(features: tf.Tensor): tf.Tensor {
    const fn = 'GlobalCmvn.apply';
    const axis = resolveAxis(fn, features.rank, this.options.timeAxis ?? -1);
    const { mean, std } = this.stats();
    const featAxis = axis === features.rank - 1 ? features.rank - 2 : features.rank - 1;
    if (features.shape[featAxis] !== mean.length) {
      throw new Error(
        `${fn}: features have ${features.shape[featAxis]} dimensions, the statistics ${mean.length}`,
      );
    }
    const shape = features.shape.map((d, a) => (a === featAxis ? d : 1));
    const eps = this.options.eps ?? 1e-10;
    return tf.tidy(() => {
      const centred = tf.sub(features, tf.tensor(mean, shape));
      if (!this.options.normVars) return centred;
      return tf.div(
        centred,
        tf.tensor(
          std.map((s) => s + eps),
          shape,
        ),
      );
    });
  }
}
