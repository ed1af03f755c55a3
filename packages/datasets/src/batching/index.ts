// Browser-safe part of @rnnkit/datasets (no node: imports): shuffling, splits, bucketing, padding, streaming.
export { stableHash, hashToUnit } from './stable_hash.js';
export { shuffled, permutation } from './shuffle.js';
export { splitByKey, stratifiedSplit } from './split.js';
export type { DatasetSplits, SplitFractions, SplitByKeyOptions, StratifiedSplitOptions } from './split.js';
export { bucketByLength, paddingWaste } from './length_buckets.js';
export type { BucketByLengthOptions, PaddingWaste } from './length_buckets.js';
export { padSequences } from './pad.js';
export { collateBatch } from './collate_batch.js';
export type { LabelledSequence } from './collate_batch.js';
export type { PadSequencesOptions, PaddedBatch, PadDtype } from './pad.js';
export { paddedBatchToTensors } from './padded_batch_to_tensors.js';
export type { PaddedTensors } from './padded_batch_to_tensors.js';
export { streamBatches, prefetch } from './stream_batches.js';
export type { StreamBatchesOptions } from './stream_batches.js';
