import * as tf from '@tensorflow/tfjs-core';

import { opName, type CellKind } from './cell_kind.js';
import { inputProjection } from './input_projection.js';
import { GRU_RECURRENCE, LSTM_RECURRENCE, RNN_RECURRENCE } from './kernel_names.js';
import { referenceRecurrence } from './reference_recurrence.js';
import { registerRecurrenceGradients } from './register_recurrence_gradients.js';
import { registerRecurrenceKernels } from './register_recurrence_kernels.js';
import type { RecurrentWeights, SequenceOptions, SequenceResult } from './sequence_types.js';
import { normalizeLengths, validateSequence } from './validate_sequence.js';

export type RecurrenceImplementation = 'auto' | 'fused' | 'reference';

export interface RecurrentSequenceOptions extends SequenceOptions {
  /**
   * 'auto' (default): the fused kernel when the active backend has one, else the reference.
   * 'reference': always the tfjs-core composition (autodiff gradients). 'fused': error without a kernel.
   */
  implementation?: RecurrenceImplementation;
}

function kernelNameOf(cell: CellKind): string {
  return cell === 'lstm' ? LSTM_RECURRENCE : cell === 'gru' ? GRU_RECURRENCE : RNN_RECURRENCE;
}

/** Whether the active (or named) backend has the fused kernel for this cell. */
export function hasFusedRecurrenceKernel(cell: CellKind, backendName: string = tf.getBackend()): boolean {
  registerRecurrenceKernels();
  return tf.getKernel(kernelNameOf(cell), backendName) !== undefined;
}

/**
 * One layer, one direction, whole sequence: x [time, batch, input] -> output [time, batch, hidden],
 * hN (and cN for LSTM) [batch, hidden]. The input projection is one matmul; the recurrence runs as
 * one kernel call whose gradient is the hand-written BPTT.
 */
export function recurrentSequence(
  cell: CellKind, x: tf.Tensor, weights: RecurrentWeights, h0: tf.Tensor, c0: tf.Tensor | undefined,
  options: RecurrentSequenceOptions = {},
): SequenceResult {
  const fn = opName(cell);
  const { time, batch } = validateSequence(cell, x, weights, h0, c0);
  const lengths = normalizeLengths(fn, options.lengths, batch, time);
  const reverse = options.reverse === true;
  const implementation = options.implementation ?? 'auto';
  // Lengths that stayed on the device (webgpu) can only drive the reference path.
  const hostLengths = Array.isArray(lengths);
  const fused = implementation !== 'reference' && hostLengths && hasFusedRecurrenceKernel(cell);
  if (implementation === 'fused' && !fused) {
    throw new Error(`${fn}: implementation 'fused' requested but backend '${tf.getBackend()}' has no ${kernelNameOf(cell)} kernel`);
  }
  if (!fused) return runReference(cell, x, weights, h0, c0, time, lengths, !hostLengths, reverse);
  registerRecurrenceGradients(); // before the projection's matmul is taped
  return tf.tidy(() => {
    const xp = inputProjection(cell, x, weights, true);
    const attrs: tf.NamedAttrMap = { lengths, reverse };
    const inputs: tf.NamedTensorMap = { xp, weightHh: weights.weightHh, h0 };
    if (cell === 'lstm') inputs['c0'] = c0!;
    if (cell === 'gru' && weights.biasHh !== undefined) inputs['biasHh'] = weights.biasHh;
    if (cell === 'rnn_tanh' || cell === 'rnn_relu') attrs['activation'] = cell === 'rnn_relu' ? 'relu' : 'tanh';
    // The extra outputs (gates, cell states) are the BPTT workspace: the tape keeps its own references.
    const outs = tf.engine().runKernel(kernelNameOf(cell), inputs, attrs) as tf.Tensor[];
    return cell === 'lstm' ? { output: outs[0]!, hN: outs[1]!, cN: outs[2]! } : { output: outs[0]!, hN: outs[1]! };
  }) as unknown as SequenceResult;
}

function runReference(
  cell: CellKind, x: tf.Tensor, weights: RecurrentWeights, h0: tf.Tensor, c0: tf.Tensor | undefined, time: number,
  lengths: number[] | tf.Tensor, ownsLengths: boolean, reverse: boolean,
): SequenceResult {
  try {
    return tf.tidy(() => {
      const xp = inputProjection(cell, x, weights, false);
      const biasHh = cell === 'gru' ? weights.biasHh : undefined;
      return referenceRecurrence(cell, xp, weights.weightHh, biasHh, h0, c0, time, lengths, reverse) as unknown as tf.TensorContainer;
    }) as unknown as SequenceResult;
  } finally {
    if (ownsLengths && !Array.isArray(lengths)) lengths.dispose();
  }
}

/** The recurrence composed of tfjs-core ops only (the oracle the fused kernels are tested against). */
export function recurrentSequenceReference(
  cell: CellKind, x: tf.Tensor, weights: RecurrentWeights, h0: tf.Tensor, c0: tf.Tensor | undefined,
  options: SequenceOptions = {},
): SequenceResult {
  return recurrentSequence(cell, x, weights, h0, c0, { ...options, implementation: 'reference' });
}
