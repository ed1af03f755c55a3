import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption, previewValue } from '@rnnkit/tensor-core/internal';

import { labelOffsets } from './cpu/ctc_loss_js.js';

/** How per-sequence losses are combined: PyTorch's `reduction` of `F.ctc_loss`. */
export type CtcReduction = 'mean' | 'sum' | 'none';

/** One length per sequence. */
export type CtcLengths = readonly number[] | Int32Array | tf.Tensor1D;

export interface CtcLossOptions {
  /** The blank's class id (default 0). */
  blank?: number;
  /**
   * 'mean' (default): each loss divided by its target length (at least 1), then the batch mean;
   * 'sum': the sum over the batch; 'none': one loss per sequence.
   */
  reduction?: CtcReduction;
  /** Infinite losses (no alignment fits in the input) and their gradients become 0 (default false). */
  zeroInfinity?: boolean;
}

/** The checked arguments of ctcLoss, with the targets and lengths on the host. */
export interface CtcArguments {
  T: number;
  N: number;
  C: number;
  blank: number;
  reduction: CtcReduction;
  zeroInfinity: boolean;
  inputLengths: number[];
  targetLengths: number[];
  /** The targets' values, and where sequence n's labels start in them. */
  labels: Int32Array;
  labelOffsets: Int32Array;
}

const OPTIONS = optionKeys<CtcLossOptions>({ blank: true, reduction: true, zeroInfinity: true });
const REDUCTIONS: readonly CtcReduction[] = ['mean', 'sum', 'none'];
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function readLengths(fn: string, name: string, value: unknown, N: number): number[] {
  let values: ArrayLike<number>;
  if (value instanceof tf.Tensor) {
    if (value.rank !== 1 || value.dtype !== 'int32')
      throw new Error(
        `${fn}: ${name} must be a 1-D int32 tensor [N], got a ${value.rank}-D ${value.dtype} tensor of shape ${fmt(value.shape)}`,
      );
    values = value.dataSync();
  } else if (Array.isArray(value) || value instanceof Int32Array) {
    values = value as ArrayLike<number>;
  } else {
    throw new TypeError(
      `${fn}: ${name} must be a number[], an Int32Array or a 1-D int32 tensor, got ${previewValue(value)}`,
    );
  }
  if (values.length !== N)
    throw new Error(
      `${fn}: ${name} has ${values.length} entries, expected one per sequence: N = logProbs.shape[1] = ${N}`,
    );
  const out = Array.from(values);
  out.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${fn}: ${name}[${i}] = ${previewValue(v)} must be a non-negative integer`);
  });
  return out;
}

/**
 * Checks ctcLoss's arguments (shapes, dtypes, lengths, label ids, options); every error names the
 * argument, what was expected and what was received. Reads the lengths and the targets on the host.
 */
export function checkCtcArguments(
  fn: string,
  logProbs: unknown,
  targets: unknown,
  inputLengths: unknown,
  targetLengths: unknown,
  options: CtcLossOptions | undefined,
): CtcArguments {
  const opts = checkOptions(fn, options, OPTIONS);
  if (!(logProbs instanceof tf.Tensor))
    throw new TypeError(`${fn}: logProbs must be a tf.Tensor [T, N, C], got ${previewValue(logProbs)}`);
  if (logProbs.rank !== 3)
    throw new Error(`${fn}: logProbs must be 3-D [T, N, C], got shape ${fmt(logProbs.shape)}`);
  if (logProbs.dtype !== 'float32') throw new Error(`${fn}: logProbs must be float32, got ${logProbs.dtype}`);
  const [T = 0, N = 0, C = 0] = logProbs.shape;

  const blank = opts.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank >= C)
    throw new Error(
      `${fn}: blank must be an integer in [0, C) = [0, ${C}) (C = logProbs.shape[2]), got ${previewValue(blank)}`,
    );
  const reduction = opts.reduction ?? 'mean';
  if (!REDUCTIONS.includes(reduction))
    throw new Error(`${fn}: reduction must be 'mean', 'sum' or 'none', got ${previewValue(reduction)}`);
  const zeroInfinity = booleanOption(fn, 'zeroInfinity', opts.zeroInfinity, false);

  if (!(targets instanceof tf.Tensor))
    throw new TypeError(
      `${fn}: targets must be an int32 tf.Tensor, [N, S] or 1-D concatenated, got ${previewValue(targets)}`,
    );
  if (targets.rank !== 1 && targets.rank !== 2)
    throw new Error(`${fn}: targets must be [N, S] or 1-D (concatenated), got shape ${fmt(targets.shape)}`);
  if (targets.dtype !== 'int32') throw new Error(`${fn}: targets must be int32, got ${targets.dtype}`);
  const padded = targets.rank === 2;
  if (padded && targets.shape[0] !== N)
    throw new Error(
      `${fn}: targets.shape[0] = ${targets.shape[0]} does not match the batch size N = logProbs.shape[1] = ${N}`,
    );

  const inLengths = readLengths(fn, 'inputLengths', inputLengths, N);
  const tgLengths = readLengths(fn, 'targetLengths', targetLengths, N);
  inLengths.forEach((v, i) => {
    if (v > T) throw new Error(`${fn}: inputLengths[${i}] = ${v} exceeds T = logProbs.shape[0] = ${T}`);
  });
  const S = targets.shape[padded ? 1 : 0] ?? 0;
  if (padded) {
    tgLengths.forEach((v, i) => {
      if (v > S) throw new Error(`${fn}: targetLengths[${i}] = ${v} exceeds targets.shape[1] = ${S}`);
    });
  } else {
    const total = tgLengths.reduce((a, b) => a + b, 0);
    if (total !== S)
      throw new Error(
        `${fn}: targetLengths sum to ${total}, but the 1-D (concatenated) targets hold ${S} labels`,
      );
  }

  const labels = targets.dataSync() as Int32Array;
  const offsets = labelOffsets(tgLengths, padded ? S : 0);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < (tgLengths[n] ?? 0); i++) {
      const index = (offsets[n] ?? 0) + i;
      const label = labels[index] ?? 0;
      if (label === blank || label < 0 || label >= C) {
        const where = padded ? `targets[${n}][${i}]` : `targets[${index}] (sequence ${n}, label ${i})`;
        throw new Error(
          label === blank
            ? `${fn}: ${where} = ${label} is the blank (blank = ${blank}); targets may not contain it`
            : `${fn}: ${where} = ${label} is not a class id in [0, C) = [0, ${C})`,
        );
      }
    }
  }
  return {
    T,
    N,
    C,
    blank,
    reduction,
    zeroInfinity,
    inputLengths: inLengths,
    targetLengths: tgLengths,
    labels,
    labelOffsets: offsets,
  };
}
