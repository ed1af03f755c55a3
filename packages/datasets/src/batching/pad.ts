import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export type PadDtype = 'int32' | 'float32';

export interface DenseBatchOptions {
  /** Time steps of the output; longer sequences are truncated. Default: the longest sequence. */
  maxLength?: number;
  /** Value written into padded positions (Keras's `value`). Default 0. */
  value?: number;
  /** Where padding goes. Default 'post' (PyTorch's pad_sequence; masks and lengths then describe a prefix). Keras uses 'pre'. */
  padding?: 'pre' | 'post';
  /** Which end of a too-long sequence is cut. Default 'post'. */
  truncating?: 'pre' | 'post';
  /** Element type of `values`. Default 'int32'. */
  dtype?: PadDtype;
  /** Values per time step: 1 for token ids, the feature count for frames stored flat (T × F). Default 1. */
  featureSize?: number;
}

export interface DenseBatch {
  /** Row-major [batchSize, maxLength, featureSize] (or [batchSize, maxLength] when featureSize is 1). */
  values: Int32Array | Float32Array;
  /** [batchSize, maxLength]: 1 where a real time step is, 0 at padding. */
  mask: Uint8Array;
  /** Real length of each sequence after truncation. */
  lengths: Int32Array;
  batchSize: number;
  maxLength: number;
  featureSize: number;
  /** Shape of `values`. */
  shape: number[];
}

/** The keys of DenseBatchOptions (collateBatch checks them under its own name). */
export const DENSE_BATCH_OPTIONS = optionKeys<DenseBatchOptions>({
  maxLength: true,
  value: true,
  padding: true,
  truncating: true,
  dtype: true,
  featureSize: true,
});

/**
 * Pads (and truncates) id or feature sequences into one dense batch with a mask and lengths, as plain
 * typed arrays; pass it to paddedBatchToTensors. For Keras's `pad_sequences` (`number[][]`, padding at the
 * front) use `padSequences`.
 */
export function padDenseBatch(
  sequences: readonly ArrayLike<number>[],
  options?: DenseBatchOptions,
): DenseBatch {
  return padDenseBatchChecked(
    'padDenseBatch',
    sequences,
    checkOptions('padDenseBatch', options, DENSE_BATCH_OPTIONS),
  );
}

/** padDenseBatch after its options were checked; errors name `fn`. */
export function padDenseBatchChecked(
  fn: string,
  sequences: readonly ArrayLike<number>[],
  options: DenseBatchOptions,
): DenseBatch {
  const featureSize = options.featureSize ?? 1;
  if (!Number.isInteger(featureSize) || featureSize < 1) {
    throw new Error(`${fn}: featureSize must be a positive integer, got ${featureSize}`);
  }
  const steps = sequences.map((seq, i) => {
    if (seq.length % featureSize !== 0) {
      throw new Error(
        `${fn}: sequences[${i}] has ${seq.length} values, not a multiple of featureSize ${featureSize}`,
      );
    }
    return seq.length / featureSize;
  });
  const maxLength = options.maxLength ?? steps.reduce((a, b) => Math.max(a, b), 0);
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new Error(`${fn}: maxLength must be a non-negative integer, got ${maxLength}`);
  }
  const padding = options.padding ?? 'post';
  const truncating = options.truncating ?? 'post';
  for (const [name, value] of [
    ['padding', padding],
    ['truncating', truncating],
  ] as const) {
    if (value !== 'pre' && value !== 'post') {
      throw new Error(`${fn}: ${name} must be 'pre' or 'post', got '${String(value)}'`);
    }
  }
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw new Error(`${fn}: dtype must be 'int32' or 'float32', got '${String(dtype)}'`);
  }
  // Int32Array and Float32Array would turn NaN into 0 and 2.5 into 2 without a word.
  const valid =
    dtype === 'int32'
      ? (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31
      : (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const expected = dtype === 'int32' ? 'an int32 integer (dtype int32)' : 'a finite number (dtype float32)';
  if (options.value !== undefined && !valid(options.value))
    throw new Error(`${fn}: value must be ${expected}, got ${String(options.value)}`);
  sequences.forEach((seq, i) => {
    for (let j = 0; j < seq.length; j++) {
      if (!valid(seq[j]))
        throw new Error(`${fn}: sequences[${i}][${j}] must be ${expected}, got ${String(seq[j])}`);
    }
  });
  const batchSize = sequences.length;
  const size = batchSize * maxLength * featureSize;
  const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const padValue = options.value ?? 0;
  if (padValue !== 0) values.fill(padValue);
  const mask = new Uint8Array(batchSize * maxLength);
  const lengths = new Int32Array(batchSize);
  sequences.forEach((seq, b) => {
    const seqSteps = seq.length / featureSize;
    const length = Math.min(seqSteps, maxLength);
    lengths[b] = length;
    const srcStart = truncating === 'pre' ? seqSteps - length : 0;
    const dstStart = padding === 'pre' ? maxLength - length : 0;
    for (let t = 0; t < length; t++) {
      mask[b * maxLength + dstStart + t] = 1;
      const src = (srcStart + t) * featureSize;
      const dst = (b * maxLength + dstStart + t) * featureSize;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- src + f < (srcStart + length) * featureSize <= seq.length
      for (let f = 0; f < featureSize; f++) values[dst + f] = seq[src + f]!;
    }
  });
  const shape = featureSize === 1 ? [batchSize, maxLength] : [batchSize, maxLength, featureSize];
  return { values, mask, lengths, batchSize, maxLength, featureSize, shape };
}
