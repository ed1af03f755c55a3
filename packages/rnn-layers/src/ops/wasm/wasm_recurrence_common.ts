import type * as tf from '@tensorflow/tfjs-core';

import { heapRows, type RowBuffers } from '../cell_rows.js';
import {
  recurrenceSteps,
  rowsAligned,
  runSteps,
  wholeBatch,
  type RecurrenceSteps,
  type StepHook,
} from '../recurrence_steps.js';
import type { SimdGates } from './simd_gates.js';
import type { WasmBackendInternals, WasmWorkspace } from './wasm_backend_access.js';
import { packedWeights } from './wasm_weight_cache.js';

export type Info = tf.TensorInfo;

/** A kernel call's steps: batch and hidden from h0 [batch, hidden], lengths and reverse from its attrs. */
export function recurrenceDims(h0: Info, time: number, attrs: tf.NamedAttrMap | undefined): RecurrenceSteps {
  const [batch, hidden] = h0.shape as [number, number];
  const lengths = (attrs?.['lengths'] as number[] | undefined) ?? [];
  return recurrenceSteps(time, batch, hidden, lengths, Boolean(attrs?.['reverse']));
}

/** A buffer of a step's rows on the heap: per batch row ([batch, width]) or step row ([time * batch, width]). */
export interface StepBuffer {
  at: number;
  width: number;
  per: 'batch' | 'step';
}

export function stepBuffer(at: number, width: number, per: 'batch' | 'step'): StepBuffer {
  return { at, width, per };
}

/** The state before a step: the previous step's row of `previous`, at the first step `initial`'s batch row. */
export interface PreviousRow<B extends StepBuffer = StepBuffer> {
  previous: B;
  initial: B;
}

/** A row kernel's argument: a buffer at the row being processed, the state before it, or a number. */
export type RowArg<B extends StepBuffer = StepBuffer> = B | PreviousRow<B> | number;

export function isStepBuffer<B extends StepBuffer>(a: RowArg<B>): a is B {
  return typeof a === 'object' && 'at' in a;
}

/**
 * A row kernel's arguments as byte addresses, into `out`, for batch row b at `row` (runSteps'
 * numbering), its state before the step at `previous`; each buffer's row 0 at `base(buffer)`.
 */
function writeRowArgs<B extends StepBuffer>(
  out: number[],
  args: readonly RowArg<B>[],
  b: number,
  row: number,
  previous: number,
  base: (buffer: B) => number,
): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (typeof a === 'number') {
      out[i] = a;
      continue;
    }
    const state = !isStepBuffer(a); // the state before the step: the initial one, then the previous row
    const buffer = state ? (previous < 0 ? a.initial : a.previous) : a;
    const r = state && previous >= 0 ? previous : row;
    out[i] = 4 * (base(buffer) + (buffer.per === 'batch' ? b : r) * buffer.width);
  }
}

/** writeRowArgs into a new array, each buffer's row 0 at `base(buffer)` (HEAPF32 index; default: in place). */
export function rowArgs<B extends StepBuffer>(
  args: readonly RowArg<B>[],
  b: number,
  row: number,
  previous: number,
  base: (buffer: B) => number = (buffer) => buffer.at,
): number[] {
  const out = new Array<number>(args.length);
  writeRowArgs(out, args, b, row, previous, base);
  return out;
}

/**
 * The SIMD row kernel `kernel` (lstm_row, …) on its buffers in place: call(b, row, previous, rows)
 * runs it on `rows` rows from batch row b, its arguments in one reused array.
 */
export function rowKernelCall(
  simd: SimdGates,
  kernel: keyof SimdGates,
  args: readonly RowArg[],
): (b: number, row: number, previous: number, rows: number) => void {
  const run = simd[kernel] as (...a: number[]) => void;
  const bytes = new Array<number>(args.length + 1).fill(0);
  const inPlace = (buffer: StepBuffer): number => buffer.at;
  return (b, row, previous, rows) => {
    writeRowArgs(bytes, args, b, row, previous, inPlace);
    bytes[args.length] = rows;
    run(...bytes);
  };
}

export interface HeapStepPass {
  /** Before the step's rows (the forward step's product). */
  before?: StepHook;
  /**
   * Batch row b at step s (runSteps' row): `simdRows` is the count of rows a SIMD row call starting
   * at this row takes (elements [0, n4) of each), 0 where no call starts here; the cell's JS does the rest.
   */
  row(b: number, row: number, previous: number, simdRows: number): void;
  /** After the step's rows (BPTT's product). */
  after?: StepHook;
}

/**
 * runSteps for the kernels' XNNPACK path, whose rows run in SIMD where `simd` is not null: all of a
 * step's rows in one call where they are consecutive in every buffer (all running at one position, at
 * s - 1 too for BPTT, which reads the previous states), else a call per row. Where one call takes
 * every row whole (n4 = hidden), the step's rows are done.
 */
export function runHeapSteps(
  d: RecurrenceSteps,
  direction: 'forward' | 'backward',
  simd: unknown,
  n4: number,
  pass: HeapStepPass,
): void {
  const all = wholeBatch(d);
  let perCall = 0;
  let whole = false;
  runSteps(d, direction, {
    before: (s, rows, n) => {
      const aligned = simd !== null && rowsAligned(d, s, all, direction === 'backward');
      perCall = simd === null ? 0 : aligned ? n : 1;
      whole = aligned && n4 === d.hidden;
      pass.before?.(s, rows, n);
    },
    row: (b, row, previous, a) => {
      pass.row(b, row, previous, perCall > 0 && a % perCall === 0 ? perCall : 0);
      return whole;
    },
    after: pass.after,
  });
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
 * wasm_bptt_steps.ts covers those): dh[b] = dg[b] W_hh (`accumulate`: dh[b] +=), with dg [batch, k]
 * and W_hh [k, hidden] as stored, into a scratch [batch, hidden] that is then copied or added. Rows
 * not running keep their dh.
 */
export function bpttStepProduct(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  d: RecurrenceSteps,
  product: { dg: { at: number }; dh: { at: number }; weightHh: number; k: number; accumulate: boolean },
): StepHook {
  const { batch: B, hidden: H } = d;
  const { k: K, accumulate } = product;
  const [dg, dh] = [product.dg.at, product.dh.at];
  const dhStep = ws.floats(B * H);
  const matMul = ws.matMul(B, K, H);
  const dgId = ws.operand(dg, B * K);
  const wId = ws.operand(product.weightHh, K * H);
  const dhStepId = ws.operand(dhStep, B * H);
  return (_s, rows, active) => {
    matMul(dgId, wId, dhStepId);
    const f = be.wasm.HEAPF32; // XNNPACK may have grown the memory (new buffer)
    for (let a = 0; a < active; a++) {
      const so = rows[a]! * H;
      if (accumulate) for (let j = 0; j < H; j++) f[dh + so + j] = f[dh + so + j]! + f[dhStep + so + j]!;
      else f.copyWithin(dh + so, dhStep + so, dhStep + so + H);
    }
  };
}

/** A cell's rows on the XNNPACK path of a forward pass (runXnnpackSteps). */
export interface HeapCell<K extends string> {
  /** The SIMD row kernel (lstm_row, …) and its arguments, given the step product's buffer and n4. */
  kernel: keyof SimdGates;
  args(rec: StepBuffer, n4: number): RowArg[];
  /** The JS rows' buffers besides `rec` (HEAPF32 indices). */
  buffers: Record<K, number | { at: number }>;
  /** The JS rows: hidden units [from, hidden) of batch row b at `row`. */
  row(rows: RowBuffers<K | 'rec'>, b: number, row: number, from: number): void;
}

/**
 * A forward pass without the fused step kernels: per step the product rec = h W_hh^T through XNNPACK
 * (h and W_hh [gates * hidden, hidden] at the given indices), then each running row's cell, in SIMD
 * where `simd` is given (units [0, n4), n4 = hidden & ~3) and in JS for the rest.
 */
export function runXnnpackSteps<K extends string>(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  d: RecurrenceSteps,
  at: { gates: number; weightHh: number; h: number },
  simd: SimdGates | null,
  cell: HeapCell<K>,
): void {
  const H = d.hidden;
  const product = xnnpackStepProduct(be, ws, { batch: d.batch, hidden: H, gates: at.gates }, at);
  const n4 = simd ? H & ~3 : 0;
  const rec = stepBuffer(product.rec, at.gates * H, 'batch');
  const call = simd && rowKernelCall(simd, cell.kernel, cell.args(rec, n4));
  const buffers = { ...cell.buffers, rec };
  let rows = heapRows(be.wasm.HEAPF32, buffers);
  runHeapSteps(d, 'forward', simd, n4, {
    before: () => {
      product.run();
      rows = heapRows(be.wasm.HEAPF32, buffers); // XNNPACK may have grown the memory (new buffer)
    },
    row: (b, row, previous, simdRows) => {
      if (call && simdRows > 0) call(b, row, previous, simdRows);
      cell.row(rows, b, row, n4);
    },
  });
}
