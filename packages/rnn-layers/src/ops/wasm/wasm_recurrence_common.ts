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

/** The flat row (time position · batch + b) batch row b reads and writes at step s. */
export function stepRow(d: RecurrenceDims, s: number, b: number): number {
  return d.index[s * d.batch + b]! * d.batch + b;
}

/** The row holding batch row b's state before step s (its row at step s - 1), or -1 at the first step. */
export function previousRow(d: RecurrenceDims, s: number, b: number): number {
  return s === 0 ? -1 : stepRow(d, s - 1, b);
}

/** Rows of step s still running, into `rows`; returns how many. */
export function activeRows(d: RecurrenceDims, s: number, rows: Int32Array): number {
  let n = 0;
  const base = s * d.batch;
  for (let b = 0; b < d.batch; b++) if (d.index[base + b]! >= 0) rows[n++] = b;
  return n;
}

/** Whether every batch row runs at step s and reads the same position (always so without `lengths`). */
function allRowsAligned(d: RecurrenceDims, s: number, active: number): boolean {
  if (active !== d.batch) return false;
  const base = s * d.batch;
  for (let b = 1; b < d.batch; b++) if (d.index[base + b] !== d.index[base]) return false;
  return true;
}

/**
 * Rows per SIMD gate call at step s: all active rows in one call where they are consecutive in every
 * buffer (all rows aligned at s, and at s - 1 too for a BPTT step, which reads the previous states),
 * else one call per row; 0 without SIMD. A kernel calls at the rows a with a % rowsPerCall === 0.
 */
export function simdRowsPerCall(d: RecurrenceDims, s: number, active: number, simd: unknown, backward = false): number {
  if (simd === null) return 0;
  const whole = allRowsAligned(d, s, active) && (!backward || s === 0 || allRowsAligned(d, s - 1, active));
  return whole ? active : 1;
}

/** Row-major transpose of heap [rows, cols] at `from` into heap `to`. */
export function transposeOnHeap(f: Float32Array, from: number, rows: number, cols: number, to: number): void {
  for (let i = 0; i < rows; i++) {
    const r = from + i * cols;
    for (let j = 0; j < cols; j++) f[to + j * rows + i] = f[r + j]!;
  }
}
