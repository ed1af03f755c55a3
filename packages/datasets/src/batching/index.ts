// Browser-safe part of @rnnkit/datasets (no node: imports): shuffling, splits, bucketing, padding, streaming.
export { shuffled, permutation } from './shuffle.js';
export { splitByKey, stratifiedSplit } from './split.js';
export type { DatasetSplits, SplitFractions, SplitByKeyOptions, StratifiedSplitOptions } from './split.js';
export { bucketByLength, paddingWaste } from '@rnnkit/tensor-core';
export type { BucketByLengthOptions, PaddingWaste } from '@rnnkit/tensor-core';
export { padDenseBatch } from './pad.js';
export type { DenseBatchOptions, DenseBatch, PadDtype } from './pad.js';
// Keras's pad_sequences (number[][]), the one padSequences of rnnkit, lives in @rnnkit/tokenizers.
export { padSequences } from '@rnnkit/tokenizers';
export type { PadSequencesOptions } from '@rnnkit/tokenizers';
export { collateBatch } from './collate_batch.js';
export type { LabelledSequence } from './collate_batch.js';
export { paddedBatchToTensors } from './padded_batch_to_tensors.js';
export type { PaddedTensors } from './padded_batch_to_tensors.js';
export { streamBatches, prefetch } from './stream_batches.js';
export type { StreamBatchesOptions } from './stream_batches.js';
