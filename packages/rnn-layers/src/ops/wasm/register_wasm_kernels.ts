import * as tf from '@tensorflow/tfjs-core';

import {
  COLUMN_SUMS,
  DENSE_LINEAR,
  GATHER_ROWS,
  DENSE_MAT_MUL,
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
} from '../kernel_names.js';
import { columnSumsWasm } from './wasm_column_sums.js';
import { denseLinearWasm, denseMatMulWasm } from './wasm_dense_mat_mul.js';
import { gatherRowsWasm } from './wasm_gather_rows.js';
import { sharingIdentity } from './wasm_identity.js';
import { gruRecurrenceGradWasm, gruRecurrenceWasm } from './wasm_gru_recurrence.js';
import { lstmRecurrenceGradWasm, lstmRecurrenceWasm } from './wasm_lstm_recurrence.js';
import { rnnRecurrenceGradWasm, rnnRecurrenceWasm } from './wasm_rnn_recurrence.js';

const kernels: Array<{ kernelName: string; kernelFunc: tf.KernelFunc }> = [
  { kernelName: LSTM_RECURRENCE, kernelFunc: lstmRecurrenceWasm },
  { kernelName: LSTM_RECURRENCE_GRAD, kernelFunc: lstmRecurrenceGradWasm },
  { kernelName: GRU_RECURRENCE, kernelFunc: gruRecurrenceWasm },
  { kernelName: GRU_RECURRENCE_GRAD, kernelFunc: gruRecurrenceGradWasm },
  { kernelName: RNN_RECURRENCE, kernelFunc: rnnRecurrenceWasm },
  { kernelName: RNN_RECURRENCE_GRAD, kernelFunc: rnnRecurrenceGradWasm },
  { kernelName: DENSE_MAT_MUL, kernelFunc: denseMatMulWasm },
  { kernelName: DENSE_LINEAR, kernelFunc: denseLinearWasm },
  { kernelName: COLUMN_SUMS, kernelFunc: columnSumsWasm },
  { kernelName: GATHER_ROWS, kernelFunc: gatherRowsWasm },
];

let registered = false;

/**
 * Registers the heap-resident recurrences (and the XNNPACK matmuls around them) for the wasm backend,
 * replacing the JS kernels there if those were registered first. Only the first call acts, so a
 * caller may swap kernels afterwards (benchmarks, tests) without this undoing it.
 */
export function registerWasmRecurrenceKernels(): void {
  if (registered) return;
  for (const { kernelName, kernelFunc } of kernels) {
    if (tf.getKernel(kernelName, 'wasm') !== undefined) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  // tfjs-core's clones of saved tensors (every gradient) copy on wasm; they share as on cpu and webgl.
  const identity = tf.getKernel(tf.Identity, 'wasm');
  if (identity) {
    tf.unregisterKernel(tf.Identity, 'wasm');
    tf.registerKernel({
      kernelName: tf.Identity,
      backendName: 'wasm',
      kernelFunc: sharingIdentity(identity.kernelFunc),
    });
  }
  registered = true;
}
