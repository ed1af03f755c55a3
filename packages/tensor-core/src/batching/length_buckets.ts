import { booleanOption, checkOptions, optionKeys } from '../options/check_options.js';
import { SeededRandom } from '../random/seeded_random.js';

export interface BucketByLengthOptions {
  /** Examples per batch. Give this or `maxTokens`. */
  batchSize?: number;
  /** Largest padded size (examples × longest length) of a batch; batches then hold many short or few long examples. */
  maxTokens?: number;
  /**
   * Sorting happens within pools of `poolSize` batches of randomly drawn examples, so batches stay
   * random across epochs while lengths inside a batch are close (the fairseq/torchtext bucket
   * iterator approach). Default 100; Infinity sorts the whole data set.
   */
  poolSize?: number;
  /** Shuffle examples before pooling and batches afterwards. Default true; false gives a fully length-sorted order. */
  shuffle?: boolean;
  /** Seed or generator for the shuffles. Default 0. */
  seed?: number | SeededRandom;
  /** Drop a final batch that is smaller than `batchSize`. Default false. */
  dropRemainder?: boolean;
}

const BUCKET_BY_LENGTH_OPTIONS = optionKeys<BucketByLengthOptions>({
  batchSize: true,
  maxTokens: true,
  poolSize: true,
  shuffle: true,
  seed: true,
  dropRemainder: true,
});

/**
 * Groups example indices into batches of similar length so padding wastes little. Returns batches
 * of indices into `lengths`. (Here rather than in @rnnkit/datasets, which re-exports it: rnn-layers'
 * `fit({bucketByLength})` batches with it too.)
 */
export function bucketByLength(lengths: ArrayLike<number>, options: BucketByLengthOptions): number[][] {
  checkOptions('bucketByLength', options, BUCKET_BY_LENGTH_OPTIONS);
  const shuffle = booleanOption('bucketByLength', 'options.shuffle', options.shuffle, true);
  const dropRemainder = booleanOption(
    'bucketByLength',
    'options.dropRemainder',
    options.dropRemainder,
    false,
  );
  const { batchSize, maxTokens } = options;
  if ((batchSize === undefined) === (maxTokens === undefined)) {
    throw new Error('bucketByLength: give exactly one of batchSize or maxTokens');
  }
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new Error(`bucketByLength: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new Error(`bucketByLength: maxTokens must be a positive integer, got ${maxTokens}`);
  }
  const poolSize = options.poolSize ?? 100;
  if (!(poolSize >= 1)) throw new Error(`bucketByLength: poolSize must be >= 1, got ${poolSize}`);
  const order: { index: number; length: number }[] = [];
  let totalLength = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i];
    if (n === undefined || !Number.isInteger(n) || n < 0) {
      throw new Error(`bucketByLength: lengths[${i}] must be a non-negative integer, got ${n}`);
    }
    order.push({ index: i, length: n });
    totalLength += n;
  }
  const meanLength = order.length === 0 ? 0 : totalLength / order.length;
  const seed = options.seed ?? 0;
  const rng = typeof seed === 'number' ? new SeededRandom(seed) : seed;
  if (shuffle) rng.shuffle(order);

  // A batch is full at batchSize examples, or when one more example would take it past maxTokens.
  // With maxTokens a pool is measured in examples as if batches were of the average size; an
  // estimate is enough since it only bounds how far sorting reaches.
  let examplesPerBatch: number;
  let isFull: (count: number, longest: number) => boolean;
  if (batchSize !== undefined) {
    examplesPerBatch = batchSize;
    isFull = (count) => count >= batchSize;
  } else if (maxTokens !== undefined) {
    examplesPerBatch = Math.max(1, Math.floor(maxTokens / Math.max(1, meanLength)));
    isFull = (count, longest) => (count + 1) * longest > maxTokens;
  } else {
    throw new Error('bucketByLength: give exactly one of batchSize or maxTokens'); // checked above
  }
  const poolExamples = Number.isFinite(poolSize)
    ? Math.max(1, Math.round(poolSize * examplesPerBatch))
    : order.length;

  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += poolExamples) {
    // Stable sort keeps the shuffled order among equal lengths.
    const pool = order.slice(start, start + poolExamples).sort((a, b) => a.length - b.length);
    let current: number[] = [];
    let currentMax = 0;
    for (const { index, length: len } of pool) {
      if (current.length > 0) {
        if (isFull(current.length, Math.max(currentMax, len))) {
          batches.push(current);
          current = [];
          currentMax = 0;
        }
      }
      current.push(index);
      currentMax = Math.max(currentMax, len);
    }
    if (current.length > 0) batches.push(current);
  }
  let result = batches;
  if (dropRemainder && batchSize !== undefined) result = result.filter((b) => b.length === batchSize);
  if (shuffle) rng.shuffle(result);
  return result;
}

export interface PaddingWaste {
  /** Sum of real lengths. */
  realTokens: number;
  /** Sum over batches of batch size × longest length in the batch. */
  paddedTokens: number;
  /** Share of the padded tensor that is padding: 1 − real / padded. */
  waste: number;
}

/** Measures how much of the padded batches would be padding. */
export function paddingWaste(
  lengths: ArrayLike<number>,
  batches: readonly (readonly number[])[],
): PaddingWaste {
  let realTokens = 0;
  let paddedTokens = 0;
  for (const batch of batches) {
    let max = 0;
    for (const i of batch) {
      const len = lengths[i];
      if (len === undefined)
        throw new Error(`paddingWaste: batch index ${i} is outside lengths (length ${lengths.length})`);
      realTokens += len;
      max = Math.max(max, len);
    }
    paddedTokens += max * batch.length;
  }
  return { realTokens, paddedTokens, waste: paddedTokens === 0 ? 0 : 1 - realTokens / paddedTokens };
}
