import * as tf from '@tensorflow/tfjs-core';

import { runKernel } from './kernel_config.js';
import { COLUMN_SUMS, DENSE_LINEAR, DENSE_MAT_MUL } from './kernel_names.js';

/**
 * tf.matMul for the 2-D products around the recurrences (input projection, weight gradients). It runs
 * rnnkit's DENSE_MAT_MUL kernel where one is registered (cpu and wasm: their matmuls are several times
 * slower than a register-blocked JS loop for these shapes) and tf.matMul elsewhere. Differentiable either way.
 */
export function denseMatMul(
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA = false,
  transposeB = false,
  bias?: tf.Tensor,
): tf.Tensor {
  const backend = tf.getBackend();
  if (bias !== undefined) {
    // The bias [n] is added to every row inside the kernel: on cpu a broadcasting tf.add and the
    // tf.sum of its gradient (which transposes first) cost more than the product itself.
    if (tf.getKernel(DENSE_LINEAR, backend) !== undefined) {
      return runKernel(DENSE_LINEAR, { a, b, bias }, { transposeA, transposeB });
    }
    return tf.tidy(() => tf.add(denseMatMul(a, b, transposeA, transposeB), bias));
  }
  if (tf.getKernel(DENSE_MAT_MUL, backend) === undefined) return tf.matMul(a, b, transposeA, transposeB);
  return runKernel(DENSE_MAT_MUL, { a, b }, { transposeA, transposeB });
}

/**
 * Column sums of dy [m, n]: rnnkit's COLUMN_SUMS kernel where one is registered (wasm), else a
 * [1, m] x [m, n] product, which stays on the fast matmul (tf.sum over axis 0 transposes first).
 */
export function columnSums(dy: tf.Tensor): tf.Tensor {
  if (tf.getKernel(COLUMN_SUMS, tf.getBackend()) !== undefined) return runKernel(COLUMN_SUMS, { x: dy }, {});
  // tf.fill runs on the device (tf.ones would upload a host array at every step on webgpu).
  return tf.reshape(denseMatMul(tf.fill([1, dy.shape[0]!], 1), dy), [dy.shape[1]!]);
}

/** d(op(A) op(B) [+ bias]) as for tfjs's BatchMatMul, expressed with denseMatMul itself. */
export const denseMatMulGradConfig: tf.GradConfig = {
  kernelName: DENSE_MAT_MUL,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const d = dy as tf.Tensor;
    const tA = Boolean(attrs!['transposeA']);
    const tB = Boolean(attrs!['transposeB']);
    const bias = () => columnSums(d); // DENSE_LINEAR only
    if (!tA && !tB)
      return { a: () => denseMatMul(d, b, false, true), b: () => denseMatMul(a, d, true, false), bias };
    if (!tA && tB)
      return { a: () => denseMatMul(d, b, false, false), b: () => denseMatMul(d, a, true, false), bias };
    if (tA && !tB)
      return { a: () => denseMatMul(b, d, false, true), b: () => denseMatMul(a, d, false, false), bias };
    return { a: () => denseMatMul(b, d, true, true), b: () => denseMatMul(d, a, true, true), bias };
  },
};

export const denseLinearGradConfig: tf.GradConfig = { ...denseMatMulGradConfig, kernelName: DENSE_LINEAR };
