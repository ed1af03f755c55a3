import * as tf from '@tensorflow/tfjs-core';

export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export function isActivationName(value: unknown): value is ActivationName {
  return typeof value === 'string' && (ACTIVATIONS as readonly string[]).includes(value);
}

// tf.sigmoid and tf.tanh with tfjs-core's own gradients, dy·y·(1 − y) and dy·(1 − y²), except that the
// 1 is filled on the device: tfjs-core's gradients take it as a host scalar, which the GPU backend
// uploads through a new staging buffer at every training step (on a discrete GPU, ~1 ms).
/** The one output a custom gradient saved (its forward pass always saves it). */
function savedOutput(saved: tf.Tensor[], op: string): tf.Tensor {
  const [y] = saved;
  if (y === undefined) throw new Error(`${op} gradient: the forward pass saved no output`);
  return y;
}

const sigmoid = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const y = tf.sigmoid(args[0] as tf.Tensor);
  (args[1] as tf.GradSaveFunc)([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const s = savedOutput(saved, 'sigmoid');
      return tf.mul(dy, tf.mul(s, tf.sub(tf.onesLike(s), s)));
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

const tanh = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const y = tf.tanh(args[0] as tf.Tensor);
  (args[1] as tf.GradSaveFunc)([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const t = savedOutput(saved, 'tanh');
      return tf.mul(tf.sub(tf.onesLike(t), tf.square(t)), dy);
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** Keras's activations by name; softmax is over the last axis, as in Keras. */
export function applyActivation(name: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return tanh(x);
    case 'softmax':
      return tf.softmax(x, -1);
  }
}
