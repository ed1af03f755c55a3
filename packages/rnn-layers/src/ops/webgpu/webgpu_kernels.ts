import type * as tf from '@tensorflow/tfjs-core';

import { kernelConfig } from '../kernel_config.js';
import {
  BINARY_CROSSENTROPY,
  BINARY_CROSSENTROPY_GRAD,
  DENSE_LINEAR,
  DENSE_MAT_MUL,
  DROPOUT,
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  KERAS_ADAM_UPDATE,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RMSPROP_UPDATE,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
} from '../kernel_names.js';
import { binaryCrossentropyGradWebGpu, binaryCrossentropyWebGpu } from './webgpu_binary_crossentropy.js';
import { denseMatMulKernelWebGpu } from './webgpu_dense_mat_mul.js';
import { dropoutWebGpu } from './webgpu_dropout.js';
import { kerasAdamUpdateWebGpu } from './webgpu_keras_adam_update.js';
import {
  gruRecurrenceGradWebGpu,
  gruRecurrenceWebGpu,
  lstmRecurrenceGradWebGpu,
  lstmRecurrenceWebGpu,
  rnnRecurrenceGradWebGpu,
  rnnRecurrenceWebGpu,
} from './webgpu_recurrence_kernels.js';
import { rmspropUpdateWebGpu } from './webgpu_rmsprop_update.js';

/** The WGSL recurrences, the split-reduction dense matmul, the fused optimizer steps, loss and dropout. */
export const webgpuKernelConfigs: readonly tf.KernelConfig[] = [
  kernelConfig(LSTM_RECURRENCE, 'webgpu', lstmRecurrenceWebGpu),
  kernelConfig(LSTM_RECURRENCE_GRAD, 'webgpu', lstmRecurrenceGradWebGpu),
  kernelConfig(GRU_RECURRENCE, 'webgpu', gruRecurrenceWebGpu),
  kernelConfig(GRU_RECURRENCE_GRAD, 'webgpu', gruRecurrenceGradWebGpu),
  kernelConfig(RNN_RECURRENCE, 'webgpu', rnnRecurrenceWebGpu),
  kernelConfig(RNN_RECURRENCE_GRAD, 'webgpu', rnnRecurrenceGradWebGpu),
  kernelConfig(DENSE_MAT_MUL, 'webgpu', denseMatMulKernelWebGpu),
  kernelConfig(DENSE_LINEAR, 'webgpu', denseMatMulKernelWebGpu),
  kernelConfig(RMSPROP_UPDATE, 'webgpu', rmspropUpdateWebGpu),
  kernelConfig(KERAS_ADAM_UPDATE, 'webgpu', kerasAdamUpdateWebGpu),
  kernelConfig(BINARY_CROSSENTROPY, 'webgpu', binaryCrossentropyWebGpu),
  kernelConfig(BINARY_CROSSENTROPY_GRAD, 'webgpu', binaryCrossentropyGradWebGpu),
  kernelConfig(DROPOUT, 'webgpu', dropoutWebGpu),
];
