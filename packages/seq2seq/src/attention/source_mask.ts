import * as tf from '@tensorflow/tfjs-core';

import type { AttentionApplyOptions } from './attention_types.js';

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * The source mask [batch, srcLen] (bool, true = valid) from `keyLengths` or `mask`, or null when neither
 * is given. Lengths are checked on the host, so building the mask reads nothing back from the device.
 */
export function sourceMask(
  fn: string,
  options: AttentionApplyOptions,
  batch: number,
  srcLen: number,
): tf.Tensor2D | null {
  const { keyLengths, mask } = options;
  if (keyLengths !== undefined && mask !== undefined)
    throw new Error(`${fn}: give options.keyLengths or options.mask, not both`);
  if (keyLengths !== undefined) {
    if (!Array.isArray(keyLengths) && !(keyLengths instanceof Int32Array))
      throw new Error(`${fn}: options.keyLengths must be a number[] or Int32Array`);
    if (keyLengths.length !== batch)
      throw new Error(
        `${fn}: options.keyLengths has ${keyLengths.length} entries, expected batch = ${batch}`,
      );
    const valid = new Uint8Array(batch * srcLen);
    for (let b = 0; b < batch; b++) {
      const n = keyLengths[b] as number;
      if (!Number.isInteger(n) || n < 1 || n > srcLen)
        throw new Error(
          `${fn}: options.keyLengths[${b}] = ${n} must be an integer in [1, ${srcLen}] (keys.shape[1] = ${srcLen})`,
        );
      valid.fill(1, b * srcLen, b * srcLen + n);
    }
    return tf.tensor2d(valid, [batch, srcLen], 'bool');
  }
  if (mask !== undefined) {
    if (!(mask instanceof tf.Tensor)) throw new Error(`${fn}: options.mask must be a tf.Tensor`);
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== srcLen)
      throw new Error(`${fn}: options.mask has shape ${fmt(mask.shape)}, expected [${batch}, ${srcLen}]`);
    return mask.dtype === 'bool' ? (tf.clone(mask) as tf.Tensor2D) : (tf.notEqual(mask, 0) as tf.Tensor2D);
  }
  return null;
}
