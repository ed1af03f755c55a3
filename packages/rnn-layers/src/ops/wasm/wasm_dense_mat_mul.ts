import * as tf from '@tensorflow/tfjs-core';

import type { TypedKernelFunc } from '../kernel_config.js';
import type { DENSE_LINEAR, DENSE_MAT_MUL } from '../kernel_names.js';
import { fusedStepKernels } from './simd_gates.js';
import {
  inputIndices,
  wasmInternals,
  withWorkspace,
  type WasmBackendInternals,
} from './wasm_backend_access.js';
import {
  CallList,
  copyRowRange,
  runHelperParts,
  splitRows,
  type HelperPart,
  type RowRange,
  type RowSplit,
} from './wasm_helper_threads.js';
import { packedWeights } from './wasm_weight_cache.js';
import type { Info } from './wasm_recurrence_common.js';

// tfjs-backend-wasm's BatchMatMul / _FusedMatMul run XNNPACK only without transposes; with transposeA
// or transposeB they fall back to a scalar loop 5-20x slower (dW_hh = dGates^T hPrev, LSTM 32x100x128:
// 531 ms against 25 ms of CPU time). The products around the recurrences therefore transpose
// explicitly first (a copy of a few ms) and multiply on the XNNPACK path. Registered as rnnkit's
// DENSE_MAT_MUL (a op(b)) and DENSE_LINEAR (a op(b) + bias, the bias added by XNNPACK). The weight
// gradients (a^T b) skip both the transpose and XNNPACK where the fused step kernels can run them.

function kernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`rnn-layers wasm kernel: the wasm backend has no ${name} kernel`);
  return config.kernelFunc;
}

/** Rows of a and b per pass of the weight-gradient product: a packed [K_BLOCK, 16] panel of b (16 KB) stays in L1. */
const K_BLOCK = 256;

/**
 * a^T b (a [k, m], b [k, n]: the weight gradients, k = time * batch) with the fused kernels'
 * `matmul_rows`, K_BLOCK rows of a and b at a time: each block of a transposed into a scratch by
 * 4 x 4 SIMD shuffles, and of b copied into panels of 16 columns (read in place, a panel's rows 512
 * bytes apart fall into 8 of L1's 64 sets and evict each other: 15% slower). No XNNPACK repacking
 * of b and no tfjs Transpose of a (together ~9 ms of a 60 ms LSTM training step). Null where it
 * does not apply.
 */
function transposedProduct(backend: unknown, a: Info, b: Info): Info | null {
  const be = wasmInternals(backend);
  const fused = fusedStepKernels(be);
  const [k, m] = a.shape as [number, number];
  const n = b.shape[1]!;
  if (!fused || n % 16 !== 0 || m % 4 !== 0 || k === 0) return null;
  const at = inputIndices(be, { a, b });
  return withWorkspace(be, (ws) => {
    const out = ws.output([m, n]);
    // Helpers take ranges of out's rows (a's columns, in fours for the transposes) and need k in fours
    // too. They share one copy of a and b, and each sends its rows of out back.
    const copied = { shared: k * (m + n), perRow: n };
    const split =
      k % 4 === 0
        ? splitRows(
            m,
            m * k * n,
            { shared: copied.shared + n * K_BLOCK * MAX_PARTS, perRow: K_BLOCK + n + 2 },
            copied,
            4,
          )
        : null;
    const rows = split ? split.bounds[1]! : m;
    const main = (): void => {
      const table = ws.floats(2 * rows);
      const aT = ws.floats(rows * K_BLOCK);
      const bPanels = ws.floats(n * K_BLOCK);
      const f = be.wasm.HEAPF32; // the kernels below never grow the heap
      fillRowTable(be.wasm.HEAP32, table, rows, { at: aT, stride: K_BLOCK }, { at: out.at, stride: n });
      for (let start = 0; start < k; start += K_BLOCK) {
        const steps = Math.min(K_BLOCK, k - start);
        const steps4 = steps & ~3;
        const block = at.a! + start * m;
        fused.transpose(4 * block, 4 * aT, steps4, rows, 4 * m, 4 * K_BLOCK);
        for (let i = steps4; i < steps; i++)
          for (let c = 0; c < rows; c++) f[aT + c * K_BLOCK + i] = f[block + i * m + c]!;
        fused.pack_panels(4 * (at.b! + start * n), 4 * bPanels, steps, n, 4 * n);
        (start === 0 ? fused.matmul_rows : fused.matmul_rows_add)(
          4 * table,
          rows,
          4 * bPanels,
          n / 16,
          steps,
          4,
          64,
          64 * steps,
        );
      }
    };
    if (!split) main();
    else splitTransposedProduct(be, split, { a: at.a!, b: at.b!, out: out.at }, { k, m, n }, main);
    return out.info;
  });
}

/** Helper threads a call is split across at most (the calling thread's range aside). */
const MAX_PARTS = 16;

/**
 * transposedProduct with out's rows [bounds[i], bounds[i + 1]) on helper thread i - 1: a and b are
 * copied into the helpers' shared memory once, each helper runs the same blocks as the calling
 * thread (transpose of its columns of a, pack, product) as one call list, and its rows of out are
 * copied back.
 */
function splitTransposedProduct(
  be: WasmBackendInternals,
  split: RowSplit,
  at: { a: number; b: number; out: number },
  { k, m, n }: { k: number; m: number; n: number },
  main: () => void,
): void {
  const { pool } = split;
  const a = pool.floats(k * m);
  const b = pool.floats(k * n);
  const { parts, shared, sharedInts } = helperRows(split, (rows) => ({
    aT: pool.floats(rows * K_BLOCK),
    bPanels: pool.floats(n * K_BLOCK),
    out: pool.floats(rows * n),
    table: pool.floats(2 * rows),
  }));
  const f = be.wasm.HEAPF32;
  // Whole: one copy of a's k rows costs less than a copy of each helper's columns row by row.
  shared.set(f.subarray(at.a, at.a + k * m), a);
  shared.set(f.subarray(at.b, at.b + k * n), b);
  const helperParts = parts.map((p): HelperPart => {
    fillRowTable(sharedInts, p.table, p.rows, { at: p.aT, stride: K_BLOCK }, { at: p.out, stride: n });
    const job = new CallList();
    for (let start = 0; start < k; start += K_BLOCK) {
      const steps = Math.min(K_BLOCK, k - start);
      job.call('transpose', [4 * (a + start * m + p.first), 4 * p.aT, steps, p.rows, 4 * m, 4 * K_BLOCK]);
      job.call('pack_panels', [4 * (b + start * n), 4 * p.bPanels, steps, n, 4 * n]);
      job.call(start === 0 ? 'matmul_rows' : 'matmul_rows_add', [
        4 * p.table,
        p.rows,
        4 * p.bPanels,
        n / 16,
        steps,
        4,
        64,
        64 * steps,
      ]);
    }
    return { job, copyBack: outRowsBack(at.out, p.out, n, { first: p.first, rows: p.rows, batch: m }) };
  });
  runHelperParts(split, helperParts, main, () => be.wasm.HEAPF32);
}

/**
 * Each helper's rows [first, first + rows) of a split with its `scratch` allocated in the pool, and
 * views of the pool's memory made after those allocations (one may grow the memory).
 */
function helperRows<T extends object>(
  split: RowSplit,
  scratch: (rows: number) => T,
): { parts: Array<{ first: number; rows: number } & T>; shared: Float32Array; sharedInts: Int32Array } {
  const { pool, bounds } = split;
  const parts = bounds.slice(1, -1).map((first, i) => {
    const rows = bounds[i + 2]! - first;
    return { first, rows, ...scratch(rows) };
  });
  return {
    parts,
    shared: new Float32Array(pool.memory.buffer),
    sharedInts: new Int32Array(pool.memory.buffer),
  };
}

/** A HelperPart's copyBack for its rows of out [rows, n]. */
function outRowsBack(heapAt: number, sharedAt: number, n: number, range: RowRange): HelperPart['copyBack'] {
  return (heap, shared) =>
    copyRowRange(heap, shared, { heapAt, sharedAt, width: n, positions: 1 }, range, false);
}

/** Right operands up to this size stay packed across calls (weights); larger ones are packed per call. */
const CACHED_OPERAND_FLOATS = 1 << 20;

/** b^T [k, n] (b [n, k]) at heap `to` in panels of 16 columns (pack_panels' layout). */
function packTransposedPanels(f: Float32Array, from: number, k: number, n: number, to: number): void {
  let o = to;
  for (let p = 0; p < n; p += 16) {
    for (let r = 0; r < k; r++, o += 16) {
      for (let j = 0; j < 16; j++) f[o + j] = f[from + (p + j) * k + r]!;
    }
  }
}

/** Table rows [a, out] of the matmul kernels: row r reads a.at + r * a.stride, writes out.at + r * out.stride (floats). */
function fillRowTable(
  heap: Int32Array,
  table: number,
  rows: number,
  a: { at: number; stride: number },
  out: { at: number; stride: number },
): void {
  for (let r = 0; r < rows; r++) {
    heap[table + 2 * r] = 4 * (a.at + r * a.stride);
    heap[table + 2 * r + 1] = 4 * (out.at + r * out.stride);
  }
}

/**
 * a op(b) [+ bias] (a [m, k]) with the fused kernels' `matmul_rows` / `matmul_rows_bias`: the input
 * projections and their input gradients. op(b) is packed into panels of 16 columns, and a weight
 * (up to CACHED_OPERAND_FLOATS) stays packed while it lives (wasm_weight_cache.ts): a streamed
 * chunk at batch 1 used to repack W_ih through a Transpose and XNNPACK at every call. Null where
 * it does not apply.
 */
function rowsProduct(
  backend: unknown,
  a: Info,
  b: Info,
  transposeB: boolean,
  bias: Info | undefined,
): Info | null {
  const be = wasmInternals(backend);
  const fused = fusedStepKernels(be);
  const [m, k] = a.shape as [number, number];
  const n = b.shape[transposeB ? 0 : 1]!;
  if (!fused || n % 16 !== 0 || k === 0 || (bias && bias.shape.reduce((x, y) => x * y, 1) !== n)) return null;
  const at = inputIndices(be, bias ? { a, b, bias } : { a, b });
  return withWorkspace(be, (ws) => {
    const out = ws.output([m, n]);
    const table = ws.floats(2 * m);
    const pack = (to: number) => {
      if (transposeB) packTransposedPanels(be.wasm.HEAPF32, at.b!, k, n, to);
      else fused.pack_panels(4 * at.b!, 4 * to, k, n, 4 * n);
    };
    let w: number;
    if (k * n <= CACHED_OPERAND_FLOATS) {
      w = packedWeights(be, b.dataId, `panels:${transposeB ? 'T' : ''}${k}x${n}`, k * n, pack);
    } else {
      w = ws.floats(k * n);
      pack(w);
    }
    const split = splitRows(
      m,
      m * k * n,
      { shared: k * n + n, perRow: k + n + 2 },
      { shared: k * n + n, perRow: k + n },
    );
    const rows = split ? split.bounds[1]! : m;
    const kernelArgs = (wAt: number, biasAt: number): number[] => [
      4 * wAt,
      n / 16,
      k,
      4,
      64,
      64 * k,
      ...(bias ? [4 * biasAt] : []),
    ];
    const run = (bias ? fused.matmul_rows_bias : fused.matmul_rows) as (
      table: number,
      rows: number,
      ...args: number[]
    ) => void;
    const main = (): void => {
      fillRowTable(be.wasm.HEAP32, table, rows, { at: at.a!, stride: k }, { at: out.at, stride: n });
      run(4 * table, rows, ...kernelArgs(w, at.bias ?? 0));
    };
    if (!split) main();
    else
      splitRowsProduct(
        be,
        split,
        { a: at.a!, w, bias: bias ? at.bias! : null, out: out.at },
        { k, n },
        kernelArgs,
        main,
      );
    return out.info;
  });
}

/**
 * rowsProduct with rows [bounds[k], bounds[k + 1]) of a and out on helper thread k - 1: its rows of a,
 * the packed weights and the bias are copied into the helpers' shared memory and its rows of out back.
 */
function splitRowsProduct(
  be: WasmBackendInternals,
  split: RowSplit,
  at: { a: number; w: number; bias: number | null; out: number },
  { k, n }: { k: number; n: number },
  kernelArgs: (w: number, bias: number) => number[],
  main: () => void,
): void {
  const { pool, bounds } = split;
  const w = pool.floats(k * n);
  const bias = pool.floats(n);
  const { parts, shared, sharedInts } = helperRows(split, (rows) => ({
    a: pool.floats(rows * k),
    out: pool.floats(rows * n),
    table: pool.floats(2 * rows),
  }));
  const f = be.wasm.HEAPF32;
  shared.set(f.subarray(at.w, at.w + k * n), w);
  if (at.bias !== null) shared.set(f.subarray(at.bias, at.bias + n), bias);
  const helperParts = parts.map((p): HelperPart => {
    const range = { first: p.first, rows: p.rows, batch: bounds.at(-1)! };
    copyRowRange(f, shared, { heapAt: at.a, sharedAt: p.a, width: k, positions: 1 }, range, true);
    fillRowTable(sharedInts, p.table, p.rows, { at: p.a, stride: k }, { at: p.out, stride: n });
    const job = new CallList();
    job.call(at.bias !== null ? 'matmul_rows_bias' : 'matmul_rows', [
      4 * p.table,
      p.rows,
      ...kernelArgs(w, bias),
    ]);
    return { job, copyBack: outRowsBack(at.out, p.out, n, range) };
  });
  runHelperParts(split, helperParts, main, () => be.wasm.HEAPF32);
}

function product(
  args: Parameters<TypedKernelFunc<typeof DENSE_MAT_MUL | typeof DENSE_LINEAR>>[0],
  withBias: boolean,
): Info {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const bias = 'bias' in inputs ? inputs.bias : undefined;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  if (transposeA && !transposeB && !(withBias && bias)) {
    const out = transposedProduct(backend, a, b);
    if (out) return out;
  }
  if (!transposeA) {
    const out = rowsProduct(backend, a, b, transposeB, withBias ? bias : undefined);
    if (out) return out;
  }
  const temporaries: Info[] = [];
  const plain = (t: Info, transposed: boolean): Info => {
    if (!transposed) return t;
    const out = kernel(tf.Transpose)({ inputs: { x: t }, backend, attrs: { perm: [1, 0] } }) as Info;
    temporaries.push(out);
    return out;
  };
  try {
    const a2 = plain(a, transposeA);
    const b2 = plain(b, transposeB);
    const stored = bias
      ? (backend as unknown as { dataIdMap: { get(id: object): { shape: number[] } } }).dataIdMap.get(
          bias.dataId,
        )
      : null;
    if (!withBias || !bias || stored?.shape.length !== 1) {
      const out = kernel(tf.BatchMatMul)({
        inputs: { a: a2, b: b2 },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as Info;
      if (!withBias || !bias) return out;
      // _FusedMatMul checks the rank of the bias's stored data, which a reshape leaves as it was.
      temporaries.push(out);
      return kernel(tf.Add)({ inputs: { a: out, b: bias }, backend }) as Info;
    }
    const [m, k] = a2.shape as [number, number];
    const n = b2.shape[1]!;
    // _FusedMatMul reads rank-3 shapes; views with the same data ids need no reshape kernel.
    const out = kernel(tf._FusedMatMul)({
      inputs: { a: { ...a2, shape: [1, m, k] }, b: { ...b2, shape: [1, k, n] }, bias },
      backend,
      attrs: { transposeA: false, transposeB: false, activation: 'linear' },
    }) as Info;
    return { ...out, shape: [m, n] };
  } finally {
    for (const t of temporaries) (backend as tf.KernelBackend).disposeData(t.dataId);
  }
}

export const denseMatMulWasm: TypedKernelFunc<typeof DENSE_MAT_MUL> = (args) => product(args, false);
export const denseLinearWasm: TypedKernelFunc<typeof DENSE_LINEAR> = (args) => product(args, true);
