import * as tf from '@tensorflow/tfjs-core';

/**
 * The mean of per-sample losses, as a scalar: Keras's default reduction (sum over batch size) and
 * what `tf.mean` computes. Its gradient, 1/n everywhere times dy, is filled on the device: tfjs-core's
 * Mean gradient builds a host array of ones and a host scalar, two uploads per training step on webgpu.
 */
export function meanLoss(perSample: tf.Tensor): tf.Scalar {
  const mean = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor;
    return {
      value: tf.mean(x),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.fill(x.shape, 1 / Math.max(x.size, 1), 'float32')),
    };
  }) as (x: tf.Tensor) => tf.Scalar;
  return tf.tidy(() => mean(perSample.dtype === 'float32' ? perSample : tf.cast(perSample, 'float32')));
}
