import { fusedStepKernels, type SimdGates } from './simd_gates.js';
import type { WasmBackendInternals, WasmWorkspace } from './wasm_backend_access.js';
import {
  CallList,
  copyRowRange,
  runHelperParts,
  splitRows,
  type HelperKernelName,
  type HelperPart,
  type HelperThreads,
  type RowRange,
} from './wasm_helper_threads.js';
import type { RecurrenceDims } from './wasm_recurrence_common.js';

// Drives a BPTT through the SIMD kernels: per step, backwards, the cell's gradient rows (lstm_grad_row,
// …) for the running rows, then the step product dh (+)= dg W_hh. Like the forward pass
// (wasm_fused_steps.ts), batch rows never exchange data, so with helper threads each helper runs a
// later range of rows on copies in the shared memory while the calling thread runs the first in
// place; the results are bit-identical however the rows are split.

/** A buffer the pass reads or writes: per batch row ([batch, width]) or per step row ([time * batch, width]). */
export interface BpttBuffer {
  at: number;
  width: number;
  per: 'batch' | 'step';
  /** Whether a helper's rows are copied in before its job (`read`) and back after it (`written`). */
  read: boolean;
  written: boolean;
}

/** A BpttBuffer `read` (copied in), `written` (copied back) or both. */
export function bpttBuffer(
  at: number,
  width: number,
  per: 'batch' | 'step',
  use: 'read' | 'written' | 'both',
): BpttBuffer {
  return { at, width, per, read: use !== 'written', written: use !== 'read' };
}

/** The state before a step: the previous step's row of `previous`, at the first step `initial`'s batch row. */
export interface PreviousRow {
  previous: BpttBuffer;
  initial: BpttBuffer;
}

/** A gradient-row kernel argument: a buffer at the row being processed, the state before it, or a number. */
export type BpttArg = BpttBuffer | PreviousRow | number;

export interface BpttSequence {
  /** The cell's gradient rows, called as (...args, rows) on `rows` consecutive rows. */
  rowKernel: HelperKernelName;
  args: readonly BpttArg[];
  /** dh[b] = dg[b] W_hh (`accumulate`: +=), dg [batch, k], W_hh [k, hidden] at `weightHh` as stored. */
  product: { dg: BpttBuffer; dh: BpttBuffer; weightHh: number; k: number; accumulate: boolean };
}

/** Where a range of rows lives: each buffer's HEAPF32 index, rows numbered from `first`, a time position's rows `stride` apart. */
interface RowLayout {
  first: number;
  stride: number;
  buffers: Map<BpttBuffer, number>;
  weight: number;
}

function isBuffer(a: BpttArg): a is BpttBuffer {
  return typeof a === 'object' && 'at' in a;
}

function buffersOf(seq: BpttSequence): BpttBuffer[] {
  const all = new Set<BpttBuffer>([seq.product.dg, seq.product.dh]);
  for (const a of seq.args) {
    if (isBuffer(a)) all.add(a);
    else if (typeof a === 'object') all.add(a.previous).add(a.initial);
  }
  return [...all];
}

/** Whether batch rows [b0, b1) all run at step s and read the same position. */
function rangeAligned(d: RecurrenceDims, s: number, b0: number, b1: number): boolean {
  const base = s * d.batch;
  const position = d.index[base + b0]!;
  if (position < 0) return false;
  for (let b = b0 + 1; b < b1; b++) if (d.index[base + b] !== position) return false;
  return true;
}

/**
 * Makes the calls of the pass for batch rows [b0, b1) laid out as `at`: `call` runs or records each
 * one, `table(s)` is where step s's product table goes (HEAP32 index into `ints`).
 */
function emitRange(
  d: RecurrenceDims,
  seq: BpttSequence,
  b0: number,
  b1: number,
  at: RowLayout,
  ints: () => Int32Array,
  table: (s: number) => number,
  call: (kernel: HelperKernelName, args: number[]) => void,
): void {
  const { time: T, batch: B, hidden: H } = d;
  const { dg, dh, k: K } = seq.product;
  const address = (buffer: BpttBuffer, row: number, local: number): number =>
    4 * (at.buffers.get(buffer)! + (buffer.per === 'batch' ? local : row) * buffer.width);
  const rowArgs = (s: number, b: number): number[] => {
    const local = b - at.first;
    const row = d.index[s * B + b]! * at.stride + local;
    return seq.args.map((a) => {
      if (typeof a === 'number') return a;
      if (isBuffer(a)) return address(a, row, local);
      return s === 0
        ? address(a.initial, row, local)
        : address(a.previous, d.index[(s - 1) * B + b]! * at.stride + local, local);
    });
  };
  const product = seq.product.accumulate ? 'matmul_rows_add' : 'matmul_rows';
  for (let s = T - 1; s >= 0; s--) {
    // Whole range in one call where its rows are consecutive in every buffer (now and at the step before).
    if (rangeAligned(d, s, b0, b1) && (s === 0 || rangeAligned(d, s - 1, b0, b1))) {
      call(seq.rowKernel, [...rowArgs(s, b0), b1 - b0]);
    } else {
      for (let b = b0; b < b1; b++) if (d.index[s * B + b]! >= 0) call(seq.rowKernel, [...rowArgs(s, b), 1]);
    }
    const heap = ints();
    const t = table(s);
    let n = 0;
    for (let b = b0; b < b1; b++) {
      if (d.index[s * B + b]! < 0) continue;
      heap[t + 2 * n] = address(dg, 0, b - at.first);
      heap[t + 2 * n + 1] = address(dh, 0, b - at.first);
      n++;
    }
    if (n > 0) call(product, [4 * t, n, 4 * at.weight, H / 16, K, 4, 64, 64 * K]);
  }
}

function stageHelperPart(
  pool: HelperThreads,
  d: RecurrenceDims,
  seq: BpttSequence,
  buffers: BpttBuffer[],
  b0: number,
  b1: number,
  weight: number,
  heap: () => Float32Array,
): HelperPart {
  const { time: T, batch: B } = d;
  const R = b1 - b0;
  const at: RowLayout = { first: b0, stride: R, buffers: new Map(), weight };
  for (const buffer of buffers)
    at.buffers.set(buffer, pool.floats((buffer.per === 'batch' ? R : T * R) * buffer.width));
  const tables = pool.floats(T * 2 * R);
  const f = heap();
  const shared = new Float32Array(pool.memory.buffer); // every allocation is made
  const range: RowRange = { first: b0, rows: R, batch: B };
  const copy = (
    buffer: BpttBuffer,
    heapView: Float32Array,
    sharedView: Float32Array,
    toShared: boolean,
  ): void => {
    const layout = {
      heapAt: buffer.at,
      sharedAt: at.buffers.get(buffer)!,
      width: buffer.width,
      positions: buffer.per === 'batch' ? 1 : T,
    };
    copyRowRange(heapView, sharedView, layout, range, toShared);
  };
  for (const buffer of buffers) {
    if (buffer.read) copy(buffer, f, shared, true);
    else if (buffer.per === 'step' && d.lengths.length > 0) {
      const local = at.buffers.get(buffer)!;
      shared.fill(0, local, local + T * R * buffer.width); // rows past a length stay zero
    }
  }
  const job = new CallList();
  const ints = new Int32Array(pool.memory.buffer);
  emitRange(
    d,
    seq,
    b0,
    b1,
    at,
    () => ints,
    (s) => tables + s * 2 * R,
    (kernel, args) => job.call(kernel, args),
  );
  return {
    job,
    copyBack: (to, from) => {
      for (const buffer of buffers) if (buffer.written) copy(buffer, to, from, false);
    },
  };
}

/** The SIMD kernels where runBpttSteps can run a BPTT of this hidden size (its products take panels of 16 columns), else null. */
export function bpttKernels(be: WasmBackendInternals, hidden: number): SimdGates | null {
  return hidden % 16 === 0 ? fusedStepKernels(be) : null;
}

/**
 * Runs the BPTT `seq` over the sequence `d` with the SIMD kernels (hidden a multiple of 16), on
 * helper threads too where there are some and the call is large enough.
 */
export function runBpttSteps(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  fused: SimdGates,
  d: RecurrenceDims,
  seq: BpttSequence,
): void {
  const { time: T, batch: B, hidden: H } = d;
  const K = seq.product.k;
  const weight = ws.floats(K * H);
  fused.pack_panels(4 * seq.product.weightHh, 4 * weight, K, H, 4 * H);
  const buffers = buffersOf(seq);
  // A helper's row: its buffers (copied in, out or both), its product tables and its calls (at most
  // one gradient-row call of 16 words per step).
  const size = (b: BpttBuffer): number => (b.per === 'batch' ? 1 : T) * b.width;
  const copiedPerRow = buffers.reduce((sum, b) => sum + (Number(b.read) + Number(b.written)) * size(b), 0);
  const memoryPerRow = buffers.reduce((sum, b) => sum + size(b), 0) + T * 18;
  const split = splitRows(
    B,
    T * B * H * K,
    { shared: K * H, perRow: memoryPerRow },
    { shared: K * H, perRow: copiedPerRow },
  );
  const mainRows = split ? split.bounds[1]! : B;
  const main = (): void => {
    const at: RowLayout = { first: 0, stride: B, buffers: new Map(buffers.map((b) => [b, b.at])), weight };
    const table = ws.floats(2 * mainRows);
    const kernels = fused as unknown as Record<HelperKernelName, (...args: number[]) => void>;
    // The kernels never grow the heap, so HEAP32 stays attached.
    emitRange(
      d,
      seq,
      0,
      mainRows,
      at,
      () => be.wasm.HEAP32,
      () => table,
      (kernel, args) => kernels[kernel](...args),
    );
  };
  if (!split) return main();
  const { pool, bounds } = split;
  const sharedWeight = pool.floats(K * H);
  const parts: HelperPart[] = [];
  for (let k = 1; k + 1 < bounds.length; k++) {
    parts.push(
      stageHelperPart(pool, d, seq, buffers, bounds[k]!, bounds[k + 1]!, sharedWeight, () => be.wasm.HEAPF32),
    );
  }
  new Float32Array(pool.memory.buffer).set(be.wasm.HEAPF32.subarray(weight, weight + K * H), sharedWeight); // every allocation is made
  runHelperParts(split, parts, main, () => be.wasm.HEAPF32);
}
