import * as tf from '@tensorflow/tfjs-core';

import {
  BINARY_CROSSENTROPY,
  BINARY_CROSSENTROPY_GRAD,
  DENSE_LINEAR,
  DROPOUT,
  KERAS_ADAM_UPDATE,
  DENSE_MAT_MUL,
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RMSPROP_UPDATE,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
} from '../kernel_names.js';
import {
  gruRecurrenceGradWebGpu,
  gruRecurrenceWebGpu,
  lstmRecurrenceGradWebGpu,
  lstmRecurrenceWebGpu,
  rnnRecurrenceGradWebGpu,
  rnnRecurrenceWebGpu,
} from './webgpu_recurrence_kernels.js';
import { denseMatMulKernelWebGpu } from './webgpu_dense_mat_mul.js';
import { rmspropUpdateWebGpu } from './webgpu_rmsprop_update.js';
import { binaryCrossentropyGradWebGpu, binaryCrossentropyWebGpu } from './webgpu_binary_crossentropy.js';
import { kerasAdamUpdateWebGpu } from './webgpu_keras_adam_update.js';
import { dropoutWebGpu } from './webgpu_dropout.js';

const kernels: Array<{ kernelName: string; kernelFunc: tf.KernelFunc }> = [
  { kernelName: LSTM_RECURRENCE, kernelFunc: lstmRecurrenceWebGpu },
  { kernelName: LSTM_RECURRENCE_GRAD, kernelFunc: lstmRecurrenceGradWebGpu },
  { kernelName: GRU_RECURRENCE, kernelFunc: gruRecurrenceWebGpu },
  { kernelName: GRU_RECURRENCE_GRAD, kernelFunc: gruRecurrenceGradWebGpu },
  { kernelName: RNN_RECURRENCE, kernelFunc: rnnRecurrenceWebGpu },
  { kernelName: RNN_RECURRENCE_GRAD, kernelFunc: rnnRecurrenceGradWebGpu },
  { kernelName: DENSE_MAT_MUL, kernelFunc: denseMatMulKernelWebGpu },
  { kernelName: DENSE_LINEAR, kernelFunc: denseMatMulKernelWebGpu },
  { kernelName: RMSPROP_UPDATE, kernelFunc: rmspropUpdateWebGpu },
  { kernelName: KERAS_ADAM_UPDATE, kernelFunc: kerasAdamUpdateWebGpu },
  { kernelName: BINARY_CROSSENTROPY, kernelFunc: binaryCrossentropyWebGpu },
  { kernelName: BINARY_CROSSENTROPY_GRAD, kernelFunc: binaryCrossentropyGradWebGpu },
  { kernelName: DROPOUT, kernelFunc: dropoutWebGpu },
];

/** Registers the WGSL recurrences, the split-reduction dense matmul, the fused optimizer steps, loss and dropout for webgpu (idempotent). */
let registered = false;

export function registerWebGpuRecurrenceKernels(): void {
  // Called on every use of the ops (gatherRows, seededDropout, the fused loss…): look up once.
  if (registered) return;
  for (const { kernelName, kernelFunc } of kernels) {
    if (tf.getKernel(kernelName, 'webgpu') === undefined)
      tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
  }
  registered = true;
}
