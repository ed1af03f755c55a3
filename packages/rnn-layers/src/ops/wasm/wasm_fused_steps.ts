import { runSteps, type BatchRows, type RecurrenceSteps } from '../recurrence_steps.js';
import type { SimdGates } from './simd_gates.js';
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
import type { StepBuffer } from './wasm_recurrence_common.js';

// Drives a fused step kernel (lstm_step, gru_step, …) over a sequence. Each step is one kernel call
// on a table of byte addresses, one entry per running row: [h_{t-1}, its row of the projection xp,
// then the kernel's own fields]. With helper threads (wasm_helper_threads.ts), the batch rows are
// split: the calling thread runs the first range in place on tfjs-backend-wasm's heap, each helper a
// later range on copies in the shared memory, and the copies' outputs are written back at the end.
// Rows never exchange data during a sequence, so the results are bit-identical however they are split.

/** An array on the heap ({ at, size } in floats) that the kernel receives as its byte address. */
export interface HeapArray {
  at: number;
  size: number;
}

export interface FusedSequence {
  kernel: HelperKernelName;
  /** The kernel's arguments after (table, rows). */
  args: ReadonlyArray<number | HeapArray>;
  /** h0 [batch, hidden] and the projection xp [time * batch, xpWidth], read. */
  h0: number;
  xp: number;
  xpWidth: number;
  /** The table's fields after [h_{t-1}, xp row], in order. One is y [time * batch, hidden], whose rows are also the next step's h_{t-1}. */
  fields: readonly StepBuffer[];
  y: number;
}

/** Where a range of rows lives: its BatchRows and HEAPF32 indices. */
interface RowLayout {
  rows: BatchRows;
  h0: number;
  xp: number;
  y: number;
  fields: number[];
}

/**
 * The pass for the rows of `at`: each step's table of its running rows at `table(s)` (HEAP32 index
 * into `heap`), then `call(table byte address, rows)`.
 */
function emitSteps(
  d: RecurrenceSteps,
  seq: FusedSequence,
  at: RowLayout,
  heap: Int32Array,
  table: (s: number) => number,
  call: (table: number, rows: number) => void,
): void {
  const H = d.hidden;
  const width = seq.fields.length + 2;
  let t = 0;
  runSteps(
    d,
    'forward',
    {
      before: (s) => {
        t = table(s);
      },
      row: (b, row, previous, a) => {
        const e = t + a * width;
        heap[e] = 4 * (previous < 0 ? at.h0 + b * H : at.y + previous * H);
        heap[e + 1] = 4 * (at.xp + row * seq.xpWidth);
        for (let i = 0; i < seq.fields.length; i++) {
          const field = seq.fields[i]!;
          heap[e + 2 + i] = 4 * (at.fields[i]! + (field.per === 'batch' ? b : row) * field.width);
        }
      },
      after: (_s, _rows, n) => call(4 * t, n),
    },
    at.rows,
  );
}

function byteArgs(args: ReadonlyArray<number | HeapArray>, address: (a: HeapArray) => number): number[] {
  return args.map((a) => (typeof a === 'number' ? a : 4 * address(a)));
}

function stageHelperPart(
  pool: HelperThreads,
  d: RecurrenceSteps,
  seq: FusedSequence,
  b0: number,
  b1: number,
  sharedArgs: number[],
  heap: () => Float32Array,
): HelperPart {
  const { time: T, batch: B, hidden: H } = d;
  const R = b1 - b0;
  const width = seq.fields.length + 2;
  const h0 = pool.floats(R * H);
  const xp = pool.floats(T * R * seq.xpWidth);
  const fields = seq.fields.map((f) => pool.floats((f.per === 'batch' ? R : T * R) * f.width));
  const tables = pool.floats(T * R * width);
  const at: RowLayout = {
    rows: { first: b0, end: b1, stride: R },
    h0,
    xp,
    y: fields[seq.fields.findIndex((f) => f.at === seq.y)]!,
    fields,
  };
  // Every allocation is made: the views below stay attached.
  const f = heap();
  const shared = new Float32Array(pool.memory.buffer);
  const sharedInts = new Int32Array(pool.memory.buffer);
  const range: RowRange = { first: b0, rows: R, batch: B };
  const positions = (field: StepBuffer): number => (field.per === 'batch' ? 1 : T);
  copyRowRange(f, shared, { heapAt: seq.h0, sharedAt: h0, width: H, positions: 1 }, range, true);
  copyRowRange(f, shared, { heapAt: seq.xp, sharedAt: xp, width: seq.xpWidth, positions: T }, range, true);
  seq.fields.forEach((field, i) => {
    if (field.per === 'batch')
      copyRowRange(
        f,
        shared,
        { heapAt: field.at, sharedAt: fields[i]!, width: field.width, positions: 1 },
        range,
        true,
      );
    else if (d.lengths.length > 0) shared.fill(0, fields[i]!, fields[i]! + T * R * field.width); // rows past a length stay zero
  });
  const job = new CallList();
  emitSteps(
    d,
    seq,
    at,
    sharedInts,
    (s) => tables + s * R * width,
    (table, n) => job.call(seq.kernel, [table, n, ...sharedArgs]),
  );
  return {
    job,
    copyBack: (to, from) =>
      seq.fields.forEach((field, i) => {
        copyRowRange(
          to,
          from,
          { heapAt: field.at, sharedAt: fields[i]!, width: field.width, positions: positions(field) },
          range,
          false,
        );
      }),
  };
}

/** Runs `seq` over the sequence `d`, on helper threads too where there are some and the call is large enough. */
export function runFusedSteps(
  be: WasmBackendInternals,
  ws: WasmWorkspace,
  fused: SimdGates,
  d: RecurrenceSteps,
  seq: FusedSequence,
): void {
  const kernel = fused[seq.kernel] as (table: number, rows: number, ...args: number[]) => void;
  const { time: T, batch: B, hidden: H } = d;
  // A helper's row: h0 and xp copied in, the batch fields in and out, the step fields out; and its tables.
  const copiedPerRow =
    H + T * seq.xpWidth + seq.fields.reduce((sum, f) => sum + (f.per === 'batch' ? 2 : T) * f.width, 0);
  const shared = seq.args.reduce<number>((sum, a) => sum + (typeof a === 'number' ? 0 : a.size), 0);
  const footprint = { shared: shared + T, perRow: copiedPerRow + T * (seq.fields.length + 2) };
  const split = splitRows(B, T * B * H * seq.xpWidth, footprint, { shared, perRow: copiedPerRow });
  const mainRows = split ? split.bounds[1]! : B;
  const main = (): void => {
    const args = byteArgs(seq.args, (a) => a.at);
    const at: RowLayout = {
      rows: { first: 0, end: mainRows, stride: B },
      h0: seq.h0,
      xp: seq.xp,
      y: seq.y,
      fields: seq.fields.map((f) => f.at),
    };
    const table = ws.floats(mainRows * (seq.fields.length + 2));
    // Nothing below allocates on this heap, so its view stays attached.
    emitSteps(
      d,
      seq,
      at,
      be.wasm.HEAP32,
      () => table,
      (t, n) => kernel(t, n, ...args),
    );
  };
  if (!split) return main();
  const { pool, bounds } = split;
  const arrays = new Map<HeapArray, number>();
  for (const a of seq.args) if (typeof a !== 'number') arrays.set(a, pool.floats(a.size));
  const sharedArgs = byteArgs(seq.args, (a) => arrays.get(a)!);
  const parts: HelperPart[] = [];
  for (let k = 1; k + 1 < bounds.length; k++)
    parts.push(stageHelperPart(pool, d, seq, bounds[k]!, bounds[k + 1]!, sharedArgs, () => be.wasm.HEAPF32));
  const memory = new Float32Array(pool.memory.buffer); // every allocation is made
  for (const [a, to] of arrays) memory.set(be.wasm.HEAPF32.subarray(a.at, a.at + a.size), to);
  runHelperParts(split, parts, main, () => be.wasm.HEAPF32);
}
