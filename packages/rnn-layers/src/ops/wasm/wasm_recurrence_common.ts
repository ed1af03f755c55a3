import type * as tf from '@tensorflow/tfjs-core';

import { makeTimeIndex } from '../cpu/recurrent_product.js';

export type Info = tf.TensorInfo;

export interface RecurrenceDims {
  time: number;
  batch: number;
  hidden: number;
  lengths: readonly number[];
  reverse: boolean;
  /** Which time index batch row b reads at step s ([time*batch]), -1 once its sequence ended. */
  index: Int32Array;
}

export function recurrenceDims(h0: Info, time: number, attrs: tf.NamedAttrMap | undefined): RecurrenceDims {
  const [batch, hidden] = h0.shape as [number, number];
  const lengths = (attrs?.['lengths'] as number[] | undefined) ?? [];
  const reverse = Boolean(attrs?.['reverse']);
  return { time, batch, hidden, lengths, reverse, index: makeTimeIndex(time, batch, lengths, reverse) };
}

/** Rows of step s still running, into `rows`; returns how many. */
export function activeRows(d: RecurrenceDims, s: number, rows: Int32Array): number {
  let n = 0;
  const base = s * d.batch;
  for (let b = 0; b < d.batch; b++) if (d.index[base + b]! >= 0) rows[n++] = b;
  return n;
}

/**
 * Whether every batch row runs at step s and reads the same position (always so without `lengths`):
 * then the step's rows are consecutive in every buffer and one SIMD call can update them all.
 */
export function allRowsAligned(d: RecurrenceDims, s: number, active: number): boolean {
  if (active !== d.batch) return false;
  const base = s * d.batch;
  for (let b = 1; b < d.batch; b++) if (d.index[base + b] !== d.index[base]) return false;
  return true;
}

/** Row-major transpose of heap [rows, cols] at `from` into heap `to`. */
export function transposeOnHeap(f: Float32Array, from: number, rows: number, cols: number, to: number): void {
  for (let i = 0; i < rows; i++) {
    const r = from + i * cols;
    for (let j = 0; j < cols; j++) f[to + j * rows + i] = f[r + j]!;
  }
}
