import * as tf from '@tensorflow/tfjs-core';

import { columnSums, denseLinearGradConfig, denseMatMul, denseMatMulGradConfig } from './dense_mat_mul.js';
import {
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
  type RecurrenceAttrs,
  type RnnRecurrenceAttrs,
} from './kernel_names.js';
import { runKernel } from './kernel_config.js';

// Hand-written BPTT, registered beside the ops (tfjs-core style) and shared by every backend that has
// the forward kernel: the *_GRAD kernel walks the steps backwards and returns the per-step gate
// gradients and the states each step read, so dW_hh is ONE [gates*H, time*batch] x [time*batch, H]
// matmul; dW_ih, d(bias) and dx follow from the input-projection matmul by autodiff.

type Dy = tf.Tensor | null;

const orZeros = (dy: Dy, like: tf.Tensor): tf.Tensor => dy ?? tf.zerosLike(like);

/** Lengths saved from the device (after the op's own saved tensors) go to the BPTT kernel as an input. */
const deviceLengths = (lengths: tf.Tensor | undefined): { lengths?: tf.Tensor } =>
  lengths ? { lengths } : {};

/** BPTT gradients by forward kernel: saved = the inputs and outputs each config lists, in that order. */
export const recurrenceGradConfigs: tf.GradConfig[] = [
  {
    kernelName: LSTM_RECURRENCE,
    inputsToSave: ['weightHh', 'h0', 'c0'],
    outputsToSave: [true, false, false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dhN, dcN] = dys as Dy[];
      const [weightHh, h0, c0, y, gates, cells, lengths] = saved as tf.Tensor[];
      const [dGates, hPrev, dh0, dc0] = runKernel(
        LSTM_RECURRENCE_GRAD,
        {
          dy: orZeros(dy!, y!),
          dhN: orZeros(dhN!, h0!),
          dcN: orZeros(dcN!, c0!),
          weightHh: weightHh!,
          y: y!,
          gates: gates!,
          cells: cells!,
          h0: h0!,
          c0: c0!,
          ...deviceLengths(lengths),
        },
        attrs as RecurrenceAttrs,
      );
      return {
        xp: () => dGates!,
        weightHh: () => denseMatMul(dGates!, hPrev!, true, false),
        h0: () => dh0!,
        c0: () => dc0!,
      };
    },
  },
  {
    kernelName: GRU_RECURRENCE,
    inputsToSave: ['weightHh', 'h0'],
    outputsToSave: [true, false, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dhN] = dys as Dy[];
      const [weightHh, h0, y, workspace, lengths] = saved as tf.Tensor[];
      const [dXp, dHp, hPrev, dh0] = runKernel(
        GRU_RECURRENCE_GRAD,
        {
          dy: orZeros(dy!, y!),
          dhN: orZeros(dhN!, h0!),
          weightHh: weightHh!,
          y: y!,
          workspace: workspace!,
          h0: h0!,
          ...deviceLengths(lengths),
        },
        attrs as RecurrenceAttrs,
      );
      return {
        xp: () => dXp!,
        weightHh: () => denseMatMul(dHp!, hPrev!, true, false),
        biasHh: () => columnSums(dHp!),
        h0: () => dh0!,
      };
    },
  },
  {
    kernelName: RNN_RECURRENCE,
    inputsToSave: ['weightHh', 'h0'],
    outputsToSave: [true, false],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dhN] = dys as Dy[];
      const [weightHh, h0, y, lengths] = saved as tf.Tensor[];
      const [dPre, hPrev, dh0] = runKernel(
        RNN_RECURRENCE_GRAD,
        {
          dy: orZeros(dy!, y!),
          dhN: orZeros(dhN!, h0!),
          weightHh: weightHh!,
          y: y!,
          h0: h0!,
          ...deviceLengths(lengths),
        },
        attrs as RnnRecurrenceAttrs,
      );
      return {
        xp: () => dPre!,
        weightHh: () => denseMatMul(dPre!, hPrev!, true, false),
        h0: () => dh0!,
      };
    },
  },
];

const configs: tf.GradConfig[] = [denseMatMulGradConfig, denseLinearGradConfig, ...recurrenceGradConfigs];

let registered = false;

/** Registers the BPTT gradients of the fused recurrences (idempotent). */
export function registerRecurrenceGradients(): void {
  if (registered) return;
  for (const config of configs) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
  }
  registered = true;
}
