import * as tf from '@tensorflow/tfjs-core';

import { kernelConfig } from '../kernel_config.js';
import {
  COLUMN_SUMS,
  DENSE_LINEAR,
  DENSE_MAT_MUL,
  GATHER_ROWS,
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
import { gruRecurrenceGradWasm, gruRecurrenceWasm } from './wasm_gru_recurrence.js';
import { sharingIdentity } from './wasm_identity.js';
import { lstmRecurrenceGradWasm, lstmRecurrenceWasm } from './wasm_lstm_recurrence.js';
import { rnnRecurrenceGradWasm, rnnRecurrenceWasm } from './wasm_rnn_recurrence.js';

/** The heap-resident recurrences and the XNNPACK/SIMD matmuls, column sums and row gathers around them. */
export const wasmKernelConfigs: readonly tf.KernelConfig[] = [
  kernelConfig(LSTM_RECURRENCE, 'wasm', lstmRecurrenceWasm),
  kernelConfig(LSTM_RECURRENCE_GRAD, 'wasm', lstmRecurrenceGradWasm),
  kernelConfig(GRU_RECURRENCE, 'wasm', gruRecurrenceWasm),
  kernelConfig(GRU_RECURRENCE_GRAD, 'wasm', gruRecurrenceGradWasm),
  kernelConfig(RNN_RECURRENCE, 'wasm', rnnRecurrenceWasm),
  kernelConfig(RNN_RECURRENCE_GRAD, 'wasm', rnnRecurrenceGradWasm),
  kernelConfig(DENSE_MAT_MUL, 'wasm', denseMatMulWasm),
  kernelConfig(DENSE_LINEAR, 'wasm', denseLinearWasm),
  kernelConfig(COLUMN_SUMS, 'wasm', columnSumsWasm),
  kernelConfig(GATHER_ROWS, 'wasm', gatherRowsWasm),
];

let identityShared = false;

/**
 * The one kernel of tfjs's own that rnnkit replaces: wasm's Identity, by one that shares the input's
 * data instead of copying it (wasm_identity.ts says why; wasm_identity.test.ts shows user code sees
 * the same values and memory accounting). Only the first call acts.
 */
export function shareWasmIdentity(): void {
  if (identityShared) return;
  identityShared = true;
  const identity = tf.getKernel(tf.Identity, 'wasm');
  if (!identity) return;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ ...identity, kernelFunc: sharingIdentity(identity.kernelFunc) });
}
