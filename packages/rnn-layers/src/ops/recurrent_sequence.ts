import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { runOpWithWorkspace } from '@rnnkit/tensor-core/internal';

import { opName, type CellKind } from './cell_kind.js';
import { inputProjection } from './input_projection.js';
import { GRU_RECURRENCE, LSTM_RECURRENCE, RNN_RECURRENCE } from './kernel_names.js';
import { referenceRecurrence } from './reference_recurrence.js';
import { recurrenceGradConfigs, registerRecurrenceGradients } from './register_recurrence_gradients.js';
import { registerRnnLayersKernels } from './register_rnn_layers_kernels.js';
import type { RecurrentWeights, SequenceOptions, SequenceResult } from './sequence_types.js';
import { normalizeLengths, validateSequence } from './validate_sequence.js';

/** Backends whose recurrence kernels take lengths as an int32 tensor input (kernel_names.ts). */
const DEVICE_LENGTHS_BACKENDS = new Set(['webgpu']);

export type RecurrenceImplementation = 'auto' | 'fused' | 'reference';

export interface RecurrentSequenceOptions extends SequenceOptions {
  /**
   * 'auto' (default): the fused kernel when the active backend has one, else the reference.
   * 'reference': always the tfjs-core composition (autodiff gradients). 'fused': error without a kernel.
   */
  implementation?: RecurrenceImplementation;
}

export const RECURRENT_SEQUENCE_OPTIONS = optionKeys<RecurrentSequenceOptions>({
  lengths: true,
  reverse: true,
  implementation: true,
});

function kernelNameOf(cell: CellKind): string {
  return cell === 'lstm' ? LSTM_RECURRENCE : cell === 'gru' ? GRU_RECURRENCE : RNN_RECURRENCE;
}

/** Whether the active (or named) backend has the fused kernel for this cell. */
export function hasFusedRecurrenceKernel(cell: CellKind, backendName: string = tf.getBackend()): boolean {
  registerRnnLayersKernels();
  return tf.getKernel(kernelNameOf(cell), backendName) !== undefined;
}

/**
 * One layer, one direction, whole sequence: x [time, batch, input] -> output [time, batch, hidden],
 * hN (and cN for LSTM) [batch, hidden]. The input projection is one matmul; the recurrence runs as
 * one kernel call whose gradient is the hand-written BPTT.
 */
export function recurrentSequence(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
  options?: RecurrentSequenceOptions,
): SequenceResult {
  const checked = checkOptions('recurrentSequence', options, RECURRENT_SEQUENCE_OPTIONS);
  return recurrentSequenceParts(cell, x, weights, h0, c0, checked, {
    output: true,
    hN: true,
    cN: true,
  }) as SequenceResult;
}

/** Which results a caller uses. */
export interface WantedResults {
  output: boolean;
  hN: boolean;
  /** LSTM only. */
  cN: boolean;
}

/**
 * recurrentSequence returning only the `wanted` results (at least one). On the fused path the others
 * stay off the tape: tfjs-core would otherwise fill their gradients with zeros on the host, at every
 * training step (the output sequence, and the states of every layer but the last of a stack).
 */
export function recurrentSequenceParts(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
  options: RecurrentSequenceOptions,
  wanted: WantedResults,
): Partial<SequenceResult> {
  const fn = opName(cell);
  const { time, batch } = validateSequence(cell, x, weights, h0, c0);
  const lengths = normalizeLengths(fn, options.lengths, batch, time);
  const reverse = options.reverse === true;
  const implementation = options.implementation ?? 'auto';
  // Lengths that stayed on the device (webgpu, which cannot read back synchronously) go to kernels
  // that take them as a tensor; elsewhere they drive the reference path.
  const hostLengths = Array.isArray(lengths);
  const fused =
    implementation !== 'reference' &&
    (hostLengths || DEVICE_LENGTHS_BACKENDS.has(tf.getBackend())) &&
    hasFusedRecurrenceKernel(cell);
  if (implementation === 'fused' && !fused) {
    if (!hostLengths) lengths.dispose();
    throw new Error(
      `${fn}: implementation 'fused' requested but backend '${tf.getBackend()}' has no ${kernelNameOf(cell)} kernel`,
    );
  }
  const names = (['output', 'hN', 'cN'] as const).filter((n) => wanted[n] && (n !== 'cN' || cell === 'lstm'));
  if (!fused) {
    // The reference path computes everything; what is not wanted is dropped.
    const all = runReference(cell, x, weights, h0, c0, time, lengths, !hostLengths, reverse);
    const kept: Partial<SequenceResult> = {};
    for (const n of ['output', 'hN', 'cN'] as const) {
      if (names.includes(n)) kept[n] = all[n];
      else all[n]?.dispose();
    }
    return kept;
  }
  registerRecurrenceGradients(); // before the projection's matmul is taped
  if (hostLengths) return fusedParts(cell, x, weights, h0, c0, lengths, undefined, reverse, names);
  lengths.dispose(); // normalizeLengths' float32 copy (for the reference path): the kernels take int32
  const deviceLengths = tf.cast(options.lengths as tf.Tensor, 'int32');
  try {
    return fusedParts(cell, x, weights, h0, c0, [], deviceLengths, reverse, names);
  } finally {
    deviceLengths.dispose();
  }
}

function fusedParts(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
  lengths: number[],
  deviceLengths: tf.Tensor | undefined,
  reverse: boolean,
  names: Array<'output' | 'hN' | 'cN'>,
): Partial<SequenceResult> {
  return tf.tidy(() => {
    const xp = inputProjection(cell, x, weights, true);
    // Without a gradient being recorded the BPTT workspace is never read: kernels may skip it.
    const attrs: tf.NamedAttrMap = { lengths, reverse, workspace: tf.engine().isTapeOn() };
    const inputs: tf.NamedTensorMap = { xp, weightHh: weights.weightHh, h0 };
    if (cell === 'lstm') inputs['c0'] = c0!;
    if (cell === 'gru' && weights.biasHh !== undefined) inputs['biasHh'] = weights.biasHh;
    if (cell === 'rnn_tanh' || cell === 'rnn_relu')
      attrs['activation'] = cell === 'rnn_relu' ? 'relu' : 'tanh';
    const outs = runFusedRecurrence(
      kernelNameOf(cell),
      inputs,
      attrs,
      names.map((n) => ['output', 'hN', 'cN'].indexOf(n)),
      deviceLengths,
    );
    return Object.fromEntries(names.map((n, i) => [n, outs[i]!])) as tf.TensorContainer;
  }) as Partial<SequenceResult>;
}

/**
 * The forward kernel as one op whose outputs are the kernel's outputs `publicOutputs` (indices into
 * [y, hN(, cN)]): the others, and the BPTT workspace it also returns (gates, cell states), are saved
 * for the gradient but are not outputs.
 */
function runFusedRecurrence(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap,
  publicOutputs: number[],
  lengths: tf.Tensor | undefined,
): tf.Tensor[] {
  const config = recurrenceGradConfigs.find((c) => c.kernelName === kernelName)!;
  const stateCount = kernelName === LSTM_RECURRENCE ? 3 : 2; // y, hN(, cN)
  return runOpWithWorkspace({
    name: `${kernelName}Op`,
    inputs,
    forward: () => {
      const all = tf
        .engine()
        .runKernel(kernelName, lengths ? { ...inputs, lengths } : inputs, attrs) as tf.Tensor[];
      // What the registered gradient would have saved: its inputsToSave, then its outputsToSave, then
      // the device lengths (not a differentiable input, so not in `inputs`).
      const saved = [
        ...(config.inputsToSave ?? []).map((name) => inputs[name]!),
        ...all.filter((_, i) => config.outputsToSave?.[i]),
        ...(lengths ? [lengths] : []),
      ];
      return { outputs: publicOutputs.map((i) => all[i]!), saved };
    },
    gradient: (dys, saved) => {
      // The gradient function takes one dy per kernel output; null where it was not an output.
      const all: Array<tf.Tensor | null> = Array.from({ length: stateCount }, () => null);
      publicOutputs.forEach((i, k) => (all[i] = dys[k]!));
      const grads = config.gradFunc(all as tf.Tensor[], saved, attrs) as Record<string, () => tf.Tensor>;
      // Only the inputs this op has (a bias-free GRU has no biasHh).
      return Object.fromEntries(Object.keys(inputs).map((name) => [name, grads[name]!]));
    },
  });
}

function runReference(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
  time: number,
  lengths: number[] | tf.Tensor,
  ownsLengths: boolean,
  reverse: boolean,
): SequenceResult {
  try {
    return tf.tidy(() => {
      const xp = inputProjection(cell, x, weights, false);
      const biasHh = cell === 'gru' ? weights.biasHh : undefined;
      return referenceRecurrence(
        cell,
        xp,
        weights.weightHh,
        biasHh,
        h0,
        c0,
        time,
        lengths,
        reverse,
      ) as unknown as tf.TensorContainer;
    }) as unknown as SequenceResult;
  } finally {
    if (ownsLengths && !Array.isArray(lengths)) lengths.dispose();
  }
}

/** The recurrence composed of tfjs-core ops only (the oracle the fused kernels are tested against). */
export function recurrentSequenceReference(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
  options: SequenceOptions = {},
): SequenceResult {
  return recurrentSequence(cell, x, weights, h0, c0, { ...options, implementation: 'reference' });
}
