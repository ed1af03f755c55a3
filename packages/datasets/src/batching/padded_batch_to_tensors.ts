import * as tf from '@tensorflow/tfjs-core';
import type { DenseBatch } from './pad.js';

export interface PaddedTensors {
  /** int32 or float32, shape `batch.shape`. */
  values: tf.Tensor;
  /** float32 [batchSize, maxLength], 1 at real steps (float so it multiplies losses directly). */
  mask: tf.Tensor2D;
  /** int32 [batchSize]. */
  lengths: tf.Tensor1D;
}

/** Uploads a padDenseBatch/collateBatch result as tensors; the caller owns (and disposes) the three tensors. */
export function paddedBatchToTensors(batch: DenseBatch): PaddedTensors {
  const dtype = batch.values instanceof Int32Array ? 'int32' : 'float32';
  return {
    values: tf.tensor(batch.values, batch.shape, dtype),
    mask: tf.tensor2d(Float32Array.from(batch.mask), [batch.batchSize, batch.maxLength], 'float32'),
    lengths: tf.tensor1d(batch.lengths, 'int32'),
  };
}
