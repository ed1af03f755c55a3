import type * as tf from '@tensorflow/tfjs-core';

import { makeTimeIndex } from '../cpu/recurrent_product.js';
import type { WasmBackendInternals, WasmWorkspace } from './wasm_backend_access.js';
import { packedWeights } from './wasm_weight_cache.js';

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
export function simdRowsPerCall(
  d: RecurrenceDims,
  s: number,
  active: number,
  simd: unknown,
  backward = false,
): number {
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

/**
 * W_hh [gates * hidden, hidden] (PyTorch's layout) at heap `from`, packed at `to` for the fused step
 * kernels (simd_gates.build.mjs's stepKernel): panels of `blocks` blocks of 4 hidden units; within a
 * panel, row k holds for each block its gates' 4 columns side by side, W[g*H + unit, k].
 */
export function packStepWeights(
  f: Float32Array,
  from: number,
  gates: number,
  hidden: number,
  blocks: number,
  to: number,
): void {
  const units = 4 * blocks;
  let o = to;
  for (let q = 0; q < hidden; q += units) {
    for (let k = 0; k < hidden; k++) {
      for (let j = q; j < q + units; j += 4) {
        for (let g = 0; g < gates; g++) {
          const r = from + (g * hidden + j) * hidden + k;
          f[o++] = f[r]!;
          f[o++] = f[r + hidden]!;
          f[o++] = f[r + 2 * hidden]!;
          f[o++] = f[r + 3 * hidden]!;
        }
      }
    }
  }
}

/** W_hh [gates * hidden, hidden] packed for a fused step kernel, kept while the tensor lives. */
export function stepWeights(
  be: WasmBackendInternals,
  weightHh: Info,
  at: number,
  gates: number,
  hidden: number,
  blocks: number,
): number {
  return packedWeights(
    be,
    weightHh.dataId,
    `step:${gates}x${hidden}/${blocks}`,
    gates * hidden * hidden,
    (to) => packStepWeights(be.wasm.HEAPF32, at, gates, hidden, blocks, to),
  );
}

/**
 * The forward step product through XNNPACK (no fused kernels, or hidden sizes they do not take):
 * `run()` computes rec [batch, gates*hidden] = h W_hh^T, with W_hh^T transposed onto the heap once.
 * XNNPACK may grow the memory: take views of the heap after each run.
 */
export function xnnpackStepProduct(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  shape: { batch: number; hidden: number; gates: number },
  at: { weightHh: number; h: number },
): { rec: number; run(): void } {
  const { batch: B, hidden: H } = shape;
  const G = shape.gates * H;
  const wT = ws.floats(H * G);
  const rec = ws.floats(B * G);
  const matMul = ws.matMul(B, H, G);
  const hId = ws.operand(at.h, B * H);
  const wId = ws.operand(wT, H * G);
  const recId = ws.operand(rec, B * G);
  transposeOnHeap(be.wasm.HEAPF32, at.weightHh, G, H, wT);
  return { rec, run: () => matMul(hId, wId, recId) };
}

/**
 * BPTT's per-step product for the running rows through XNNPACK (where the fused kernels do not run:
 * wasm_bptt_steps.ts covers those): dh[b] = dg[b] W_hh (`accumulate`: dh[b] +=), with dg [batch, K]
 * and W_hh [K, hidden] as stored, into a scratch [batch, hidden] that is then copied or added. Rows
 * not running keep their dh.
 */
export function bpttStepProduct(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  shape: { batch: number; k: number; hidden: number },
  at: { weightHh: number; dg: number; dh: number },
  accumulate: boolean,
): (rows: Int32Array, active: number) => void {
  const { batch: B, k: K, hidden: H } = shape;
  const dhStep = ws.floats(B * H);
  const matMul = ws.matMul(B, K, H);
  const dgId = ws.operand(at.dg, B * K);
  const wId = ws.operand(at.weightHh, K * H);
  const dhStepId = ws.operand(dhStep, B * H);
  return (rows, active) => {
    matMul(dgId, wId, dhStepId);
    const f = be.wasm.HEAPF32; // XNNPACK may have grown the memory (new buffer)
    for (let a = 0; a < active; a++) {
      const so = rows[a]! * H;
      if (accumulate)
        for (let j = 0; j < H; j++) f[at.dh + so + j] = f[at.dh + so + j]! + f[dhStep + so + j]!;
      else f.copyWithin(at.dh + so, dhStep + so, dhStep + so + H);
    }
  };
}
