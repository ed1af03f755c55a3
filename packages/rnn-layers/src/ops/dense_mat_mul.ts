import * as tf from '@tensorflow/tfjs-core';

import { DENSE_MAT_MUL } from './kernel_names.js';

/**
 * tf.matMul for the 2-D products around the recurrences (input projection, weight gradients). It runs
 * rnnkit's DENSE_MAT_MUL kernel where one is registered (cpu: tfjs-backend-cpu's matmul is several times
 * slower than a register-blocked JS loop) and tf.matMul elsewhere. Differentiable either way.
 */
export function denseMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  if (tf.getKernel(DENSE_MAT_MUL, tf.getBackend()) === undefined) return tf.matMul(a, b, transposeA, transposeB);
  return tf.engine().runKernel(DENSE_MAT_MUL, { a, b }, { transposeA, transposeB }) as tf.Tensor;
}

/** d(op(A) op(B)) as for tfjs's BatchMatMul, expressed with denseMatMul itself. */
export const denseMatMulGradConfig: tf.GradConfig = {
  kernelName: DENSE_MAT_MUL,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const d = dy as tf.Tensor;
    const tA = Boolean(attrs!['transposeA']);
    const tB = Boolean(attrs!['transposeB']);
    if (!tA && !tB) return { a: () => denseMatMul(d, b, false, true), b: () => denseMatMul(a, d, true, false) };
    if (!tA && tB) return { a: () => denseMatMul(d, b, false, false), b: () => denseMatMul(d, a, true, false) };
    if (tA && !tB) return { a: () => denseMatMul(b, d, false, true), b: () => denseMatMul(a, d, false, false) };
    return { a: () => denseMatMul(b, d, true, true), b: () => denseMatMul(d, a, true, true) };
  },
};
