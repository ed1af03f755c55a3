import * as tf from '@tensorflow/tfjs-core';

/** torch.nn.functional.linear over the last axis: x · weightᵀ + bias, weight [out, in] (PyTorch layout). */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [outFeatures, inFeatures] = weight.shape as [number, number];
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inFeatures]);
    let y = tf.matMul(flat, weight, false, true);
    if (bias) y = tf.add(y, bias);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  });
}
