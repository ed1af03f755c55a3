import { bucketByLength, checkOptions, optionKeys, type SeededRandom } from '@rnnkit/tensor-core';
import { checkBooleanOption } from '../options/option_values.js';
import { toRandom } from './shuffle.js';

export interface StreamBatchesOptions<T> {
  batchSize: number;
  /**
   * Examples held in memory at once. Shuffling and length sorting happen within each buffer, so a
   * corpus of any size streams in bounded memory. Rounded up to a multiple of batchSize. Default batchSize × 64.
   */
  bufferSize?: number;
  /** Length of an example; when given, each buffer is bucketed by length (see bucketByLength). */
  length?: (item: T) => number;
  /** Shuffle within each buffer and the order of its batches. Default true. */
  shuffle?: boolean;
  /** Default 0. */
  seed?: number | SeededRandom;
  /** Drop the final batch if it is smaller than batchSize. Default false. */
  dropRemainder?: boolean;
}

const STREAM_BATCHES_OPTIONS = optionKeys<StreamBatchesOptions<unknown>>({
  batchSize: true,
  bufferSize: true,
  length: true,
  shuffle: true,
  seed: true,
  dropRemainder: true,
});

/**
 * Turns a (possibly huge, lazily read) stream of examples into batches. Only `bufferSize` examples
 * are held at a time; pair with `prefetch` so the next batches are read while a step runs.
 */
export function streamBatches<T>(
  source: AsyncIterable<T> | Iterable<T>,
  options: StreamBatchesOptions<T>,
): AsyncGenerator<T[]> {
  // Checked here, not in the generator body, so a bad option fails at the call rather than at the first batch.
  checkOptions('streamBatches', options, STREAM_BATCHES_OPTIONS);
  checkBooleanOption('streamBatches', 'options.shuffle', options.shuffle);
  checkBooleanOption('streamBatches', 'options.dropRemainder', options.dropRemainder);
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`streamBatches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const requested = options.bufferSize ?? batchSize * 64;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new Error(`streamBatches: bufferSize must be a positive integer, got ${requested}`);
  }
  return batchesOf(source, options, batchSize, requested);
}

async function* batchesOf<T>(
  source: AsyncIterable<T> | Iterable<T>,
  options: StreamBatchesOptions<T>,
  batchSize: number,
  requested: number,
): AsyncGenerator<T[]> {
  const bufferSize = Math.ceil(requested / batchSize) * batchSize;
  const shuffle = options.shuffle ?? true;
  const rng = toRandom(options.seed ?? 0);
  const lengthOf = options.length;

  const emit = (pool: T[]): T[][] => {
    let batches: T[][];
    if (lengthOf) {
      const lengths = pool.map((item) => lengthOf(item));
      batches = bucketByLength(lengths, { batchSize, poolSize: Infinity, shuffle, seed: rng }).map((b) =>
        b.map((i) => {
          const item = pool[i];
          if (item === undefined)
            throw new Error(
              `streamBatches: bucketByLength returned index ${i} outside the pool of ${pool.length}`,
            );
          return item;
        }),
      );
    } else {
      const items = shuffle ? rng.shuffle(pool.slice()) : pool;
      batches = [];
      for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));
    }
    return batches;
  };

  let pool: T[] = [];
  let pendingPartial: T[] | null = null;
  for await (const item of source) {
    pool.push(item);
    if (pool.length >= bufferSize) {
      yield* emit(pool);
      pool = [];
    }
  }
  if (pool.length > 0) {
    for (const batch of emit(pool)) {
      // The one short batch of the final buffer is held back so it comes last (or is dropped).
      if (batch.length < batchSize) pendingPartial = batch;
      else yield batch;
    }
  }
  if (pendingPartial && !options.dropRemainder) yield pendingPartial;
}

/**
 * Reads up to `bufferSize` items ahead of the consumer: while the consumer works on one item, the
 * next reads (file I/O, decoding) are already under way. Order is preserved and errors surface at
 * the item where they happened.
 */
export async function* prefetch<T>(
  source: AsyncIterable<T> | Iterable<T>,
  bufferSize = 2,
): AsyncGenerator<T> {
  if (!Number.isInteger(bufferSize) || bufferSize < 1) {
    throw new Error(`prefetch: bufferSize must be a positive integer, got ${bufferSize}`);
  }
  const iterator =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
      : toAsyncIterator((source as Iterable<T>)[Symbol.iterator]());
  const queue: Promise<IteratorResult<T>>[] = [];
  let exhausted = false;
  const fill = () => {
    while (!exhausted && queue.length < bufferSize) {
      const next = iterator.next();
      next.then(
        (r) => {
          if (r.done) exhausted = true;
        },
        () => {
          exhausted = true;
        },
      );
      queue.push(next);
    }
  };
  let finished = false;
  try {
    for (;;) {
      fill();
      const head = queue.shift();
      if (head === undefined)
        throw new Error('prefetch: no read is pending although the source has not ended');
      const result = await head;
      if (result.done) {
        finished = true;
        return;
      }
      fill();
      yield result.value;
    }
  } finally {
    if (!finished) {
      // Let already-requested reads settle before closing, so no read is left running.
      await Promise.allSettled(queue);
      await iterator.return?.();
    }
  }
}

function toAsyncIterator<T>(it: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}
