import { heapRows, type RowBuffers } from '../cell_rows.js';
import { rowsAligned, runSteps, type BatchRows, type RecurrenceSteps } from '../recurrence_steps.js';
import { fusedStepKernels, simdGates, type SimdGates } from './simd_gates.js';
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
import {
  bpttStepProduct,
  isStepBuffer,
  rowArgs,
  rowKernelCall,
  runHeapSteps,
  type RowArg,
  type StepBuffer,
} from './wasm_recurrence_common.js';

// Drives a BPTT through the SIMD kernels: per step, backwards, the cell's gradient rows (lstm_grad_row,
// …) for the running rows, then the step product dh (+)= dg W_hh (runBptt: through XNNPACK, the rows
// in SIMD and JS, where the hidden size does not suit these kernels). Like the forward pass
// (wasm_fused_steps.ts), batch rows never exchange data, so with helper threads each helper runs a
// later range of rows on copies in the shared memory while the calling thread runs the first in
// place; the results are bit-identical however the rows are split.

/** A buffer the pass reads or writes. */
export interface BpttBuffer extends StepBuffer {
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

/** A gradient-row kernel argument: a buffer at the row being processed, the state before it, or a number. */
export type BpttArg = RowArg<BpttBuffer>;

export interface BpttSequence {
  /** The cell's gradient rows, called as (...args, rows) on `rows` consecutive rows. */
  rowKernel: HelperKernelName;
  args: readonly BpttArg[];
  /** dh[b] = dg[b] W_hh (`accumulate`: +=), dg [batch, k], W_hh [k, hidden] at `weightHh` as stored. */
  product: { dg: BpttBuffer; dh: BpttBuffer; weightHh: number; k: number; accumulate: boolean };
}

/** Where a range of rows lives: its BatchRows, each buffer's HEAPF32 index and the packed W_hh's. */
interface RowLayout {
  rows: BatchRows;
  buffers: Map<BpttBuffer, number>;
  weight: number;
}

function buffersOf(seq: BpttSequence): BpttBuffer[] {
  const all = new Set<BpttBuffer>([seq.product.dg, seq.product.dh]);
  for (const a of seq.args) {
    if (isStepBuffer(a)) all.add(a);
    else if (typeof a === 'object') all.add(a.previous).add(a.initial);
  }
  return [...all];
}

/**
 * Makes the calls of the pass for the rows of `at`: `call` runs or records each one, `table(s)` is
 * where step s's product table goes (HEAP32 index into `ints`).
 */
function emitRange(
  d: RecurrenceSteps,
  seq: BpttSequence,
  at: RowLayout,
  ints: () => Int32Array,
  table: (s: number) => number,
  call: (kernel: HelperKernelName, args: number[]) => void,
): void {
  const H = d.hidden;
  const { dg, dh, k: K } = seq.product;
  const count = at.rows.end - at.rows.first;
  const base = (buffer: BpttBuffer): number => at.buffers.get(buffer)!;
  const product = seq.product.accumulate ? 'matmul_rows_add' : 'matmul_rows';
  let whole = false;
  let heap = ints();
  let t = 0;
  runSteps(
    d,
    'backward',
    {
      before: (s) => {
        // The whole range in one call where its rows are consecutive in every buffer (now and a step before).
        whole = rowsAligned(d, s, at.rows, true);
        heap = ints();
        t = table(s);
      },
      row: (b, row, previous, a) => {
        if (!whole || a === 0)
          call(seq.rowKernel, [...rowArgs(seq.args, b, row, previous, base), whole ? count : 1]);
        heap[t + 2 * a] = 4 * (base(dg) + b * dg.width);
        heap[t + 2 * a + 1] = 4 * (base(dh) + b * dh.width);
      },
      after: (_s, _rows, n) => call(product, [4 * t, n, 4 * at.weight, H / 16, K, 4, 64, 64 * K]),
    },
    at.rows,
  );
}

function stageHelperPart(
  pool: HelperThreads,
  d: RecurrenceSteps,
  seq: BpttSequence,
  buffers: BpttBuffer[],
  b0: number,
  b1: number,
  weight: number,
  heap: () => Float32Array,
): HelperPart {
  const { time: T, batch: B } = d;
  const R = b1 - b0;
  const at: RowLayout = { rows: { first: b0, end: b1, stride: R }, buffers: new Map(), weight };
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
  d: RecurrenceSteps,
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
    const at: RowLayout = {
      rows: { first: 0, end: mainRows, stride: B },
      buffers: new Map(buffers.map((b) => [b, b.at])),
      weight,
    };
    const table = ws.floats(2 * mainRows);
    const kernels = fused as unknown as Record<HelperKernelName, (...args: number[]) => void>;
    // The kernels never grow the heap, so HEAP32 stays attached.
    emitRange(
      d,
      seq,
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

/**
 * Runs the BPTT `seq` over `d`: all of it in the SIMD kernels where they take this hidden size
 * (runBpttSteps), else per step, backwards, the rows (seq's row kernel in SIMD where available,
 * `jsRow` on the JS rows' `buffers` for the rest of each row from `from`), then the product in XNNPACK.
 */
export function runBptt<K extends string>(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  d: RecurrenceSteps,
  seq: BpttSequence,
  buffers: Record<K, BpttBuffer>,
  jsRow: (rows: RowBuffers<K>, b: number, row: number, previous: number, from: number) => void,
): void {
  const fused = bpttKernels(be, d.hidden);
  if (fused) return runBpttSteps(be, ws, fused, d, seq);
  const simd = simdGates(be);
  const call = simd && rowKernelCall(simd, seq.rowKernel, seq.args);
  const product = bpttStepProduct(be, ws, d, seq.product);
  const n4 = simd ? d.hidden & ~3 : 0; // the SIMD kernel's share of each row; JS does the rest
  let rows = heapRows(be.wasm.HEAPF32, buffers);
  runHeapSteps(d, 'backward', simd, n4, {
    row: (b, row, previous, simdRows) => {
      if (call && simdRows > 0) call(b, row, previous, simdRows);
      jsRow(rows, b, row, previous, n4);
    },
    after: (s, running, n) => {
      product(s, running, n);
      rows = heapRows(be.wasm.HEAPF32, buffers); // XNNPACK may have grown the memory (new buffer)
    },
  });
}
