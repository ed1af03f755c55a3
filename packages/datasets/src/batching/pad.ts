export type PadDtype = 'int32' | 'float32';

export interface PadSequencesOptions {
  /** Time steps of the output; longer sequences are truncated. Default: the longest sequence. */
  maxLength?: number;
  /** Value written into padded positions. Default 0. */
  padValue?: number;
  /** Where padding goes. Default 'post' (PyTorch's pad_sequence; masks and lengths then describe a prefix). Keras uses 'pre'. */
  padding?: 'pre' | 'post';
  /** Which end of a too-long sequence is cut. Default 'post'. */
  truncating?: 'pre' | 'post';
  /** Element type of `values`. Default 'int32'. */
  dtype?: PadDtype;
  /** Values per time step: 1 for token ids, the feature count for frames stored flat (T × F). Default 1. */
  featureSize?: number;
}

export interface PaddedBatch {
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

/** Pads (and truncates) sequences into one dense batch with a mask and lengths, as plain typed arrays. */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadSequencesOptions = {}): PaddedBatch {
  const featureSize = options.featureSize ?? 1;
  if (!Number.isInteger(featureSize) || featureSize < 1) {
    throw new Error(`padSequences: featureSize must be a positive integer, got ${featureSize}`);
  }
  const steps = sequences.map((seq, i) => {
    if (seq.length % featureSize !== 0) {
      throw new Error(
        `padSequences: sequences[${i}] has ${seq.length} values, not a multiple of featureSize ${featureSize}`,
      );
    }
    return seq.length / featureSize;
  });
  const maxLength = options.maxLength ?? steps.reduce((a, b) => Math.max(a, b), 0);
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new Error(`padSequences: maxLength must be a non-negative integer, got ${maxLength}`);
  }
  const padding = options.padding ?? 'post';
  const truncating = options.truncating ?? 'post';
  for (const [name, value] of [['padding', padding], ['truncating', truncating]] as const) {
    if (value !== 'pre' && value !== 'post') {
      throw new Error(`padSequences: ${name} must be 'pre' or 'post', got '${String(value)}'`);
    }
  }
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw new Error(`padSequences: dtype must be 'int32' or 'float32', got '${String(dtype)}'`);
  }
  const batchSize = sequences.length;
  const size = batchSize * maxLength * featureSize;
  const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const padValue = options.padValue ?? 0;
  if (padValue !== 0) values.fill(padValue);
  const mask = new Uint8Array(batchSize * maxLength);
  const lengths = new Int32Array(batchSize);
  sequences.forEach((seq, b) => {
    const length = Math.min(steps[b]!, maxLength);
    lengths[b] = length;
    const srcStart = truncating === 'pre' ? steps[b]! - length : 0;
    const dstStart = padding === 'pre' ? maxLength - length : 0;
    for (let t = 0; t < length; t++) {
      mask[b * maxLength + dstStart + t] = 1;
      const src = (srcStart + t) * featureSize;
      const dst = (b * maxLength + dstStart + t) * featureSize;
      for (let f = 0; f < featureSize; f++) values[dst + f] = seq[src + f]!;
    }
  });
  const shape = featureSize === 1 ? [batchSize, maxLength] : [batchSize, maxLength, featureSize];
  return { values, mask, lengths, batchSize, maxLength, featureSize, shape };
}
