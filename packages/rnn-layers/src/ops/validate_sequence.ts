import * as tf from '@tensorflow/tfjs-core';

import { gateCount, opName, type CellKind } from './cell_kind.js';
import type { RecurrentWeights, SequenceLengths } from './sequence_types.js';

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function expectShape(fn: string, name: string, t: tf.Tensor | undefined, shape: readonly number[]): void {
  if (t === undefined) throw new Error(`${fn}: ${name} is required (expected shape ${fmt(shape)})`);
  if (!(t instanceof tf.Tensor)) throw new Error(`${fn}: ${name} must be a tf.Tensor, got ${typeof t}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${fn}: ${name} must have shape ${fmt(shape)}, got ${fmt(t.shape)}`);
  }
  if (t.dtype !== 'float32') throw new Error(`${fn}: ${name} must be float32, got ${t.dtype}`);
}

/**
 * Reads and checks per-batch lengths (1 <= length <= time). Returns [] when every sequence is full
 * length, so the kernels can skip masking. A tensor is read with dataSync; where that is impossible
 * (webgpu) the tensor itself comes back, as float32 [batch], unchecked: the webgpu kernels then read
 * the caller's tensor on the device, and the reference path builds its masks from this one.
 */
export function normalizeLengths(
  fn: string,
  lengths: SequenceLengths | undefined,
  batch: number,
  time: number,
): number[] | tf.Tensor {
  if (lengths === undefined || lengths === null) return [];
  let values: ArrayLike<number>;
  if (lengths instanceof tf.Tensor) {
    if (lengths.rank !== 1 || lengths.shape[0] !== batch) {
      throw new Error(
        `${fn}: lengths must have shape [${batch}] (one per batch element), got ${fmt(lengths.shape)}`,
      );
    }
    try {
      values = lengths.dataSync();
    } catch {
      return tf.cast(lengths, 'float32');
    }
  } else {
    values = lengths;
  }
  if (typeof values.length !== 'number') throw new Error(`${fn}: lengths must be an array of integers`);
  if (values.length !== batch)
    throw new Error(`${fn}: lengths has ${values.length} entries, expected batch size ${batch}`);
  const out: number[] = [];
  let full = true;
  for (let b = 0; b < batch; b++) {
    const v = values[b]!;
    if (!Number.isInteger(v)) throw new Error(`${fn}: lengths[${b}] = ${v} is not an integer`);
    if (v < 1) throw new Error(`${fn}: lengths[${b}] = ${v} must be >= 1`);
    if (v > time) throw new Error(`${fn}: lengths[${b}] = ${v} exceeds the sequence length ${time}`);
    if (v !== time) full = false;
    out.push(v);
  }
  return full ? [] : out;
}

export interface SequenceDims {
  time: number;
  batch: number;
  inputSize: number;
  hidden: number;
}

/** Validates the op's tensors (x is [time, batch, input]) and returns the sizes. */
export function validateSequence(
  cell: CellKind,
  x: tf.Tensor,
  weights: RecurrentWeights,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
): SequenceDims {
  const fn = opName(cell);
  if (!(x instanceof tf.Tensor)) throw new Error(`${fn}: x must be a tf.Tensor`);
  if (x.rank !== 3)
    throw new Error(`${fn}: x must be rank 3 [time, batch, inputSize], got shape ${fmt(x.shape)}`);
  if (x.dtype !== 'float32') throw new Error(`${fn}: x must be float32, got ${x.dtype}`);
  const [time, batch, inputSize] = x.shape as [number, number, number];
  if (time < 1 || batch < 1)
    throw new Error(`${fn}: x must have time >= 1 and batch >= 1, got shape ${fmt(x.shape)}`);
  if (!weights || !(weights.weightHh instanceof tf.Tensor) || weights.weightHh.rank !== 2) {
    throw new Error(`${fn}: weights.weightHh must be a 2-D tensor [gates*hidden, hidden]`);
  }
  const hidden = weights.weightHh.shape[1]!;
  const g = gateCount(cell) * hidden;
  expectShape(fn, 'weights.weightIh', weights.weightIh, [g, inputSize]);
  expectShape(fn, 'weights.weightHh', weights.weightHh, [g, hidden]);
  if ((weights.biasIh === undefined) !== (weights.biasHh === undefined)) {
    throw new Error(`${fn}: weights.biasIh and weights.biasHh must both be given or both omitted`);
  }
  if (weights.biasIh !== undefined) expectShape(fn, 'weights.biasIh', weights.biasIh, [g]);
  if (weights.biasHh !== undefined) expectShape(fn, 'weights.biasHh', weights.biasHh, [g]);
  expectShape(fn, 'h0', h0, [batch, hidden]);
  if (cell === 'lstm') expectShape(fn, 'c0', c0, [batch, hidden]);
  return { time, batch, inputSize, hidden };
}
