import * as tf from '@tensorflow/tfjs-core';

/**
 * A bool (or 0/1) tensor as float32 1/0. Not `tf.cast`: tfjs-backend-webgpu 4.22 casts bool/int32 to
 * float32 by relabelling the buffer, and kernels that copy without converting (Transpose, used by
 * reductions over inner axes) then fail to compile and leave zeros. `where` writes real floats.
 * The constants are filled on the device (tf.ones, tf.zeros and tf.scalar are uploaded from the host).
 */
export function floatMask(mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const condition = mask.dtype === 'bool' ? mask : tf.notEqual(mask, tf.fill([], 0, mask.dtype));
    return tf.where(condition, tf.fill(mask.shape, 1), tf.fill(mask.shape, 0));
  });
}
