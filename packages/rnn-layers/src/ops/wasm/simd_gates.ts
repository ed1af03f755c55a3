import { SIMD_GATES_SHARED_MEMORY_WASM_BASE64, SIMD_GATES_WASM_BASE64 } from './simd_gates_bytes.js';
import { backendMemory, heapModule } from './heap_module.js';
import type { WasmBackendInternals } from './wasm_backend_access.js';

// The recurrences' fused steps and gate updates, their BPTT rows and products, as WebAssembly SIMD
// (f32x4; exp by Cephes' range reduction and polynomial, |error| < 2e-7 for sigmoid and tanh),
// instantiated on tfjs-backend-wasm's own memory so they read and write its heap in place. Four lanes
// and no JS Math.exp calls make the gate update of a step ~4x cheaper than the JS loop. Where the module cannot
// be used (no SIMD, or the threaded build's shared memory, which this module does not declare) the
// kernels keep their JS loops, which also handle each row's last hidden % 4 elements.

/**
 * A fused step: the recurrent product of each listed row's h_{t-1} with W_hh packed by
 * packStepWeights (`panels` panels, K = hidden), then the cell, on `rows` rows of a table of byte
 * addresses per row. Gate blocks are `gateBytes` apart.
 */
type StepKernel = (
  table: number,
  rows: number,
  w: number,
  panels: number,
  hidden: number,
  gateBytes: number,
) => void;

/** A StepKernel with b_hh at `bias` (GRU). */
type BiasedStepKernel = (...args: [...Parameters<StepKernel>, bias: number]) => void;

/**
 * out = a W on rows of a table [a, out]: a row's k elements `aStep` bytes apart; W [k, 16 * panels] in
 * panels of 16 columns, a panel's rows `wStep` bytes apart and panels `panelStep` bytes apart
 * (row-major W: N * 4 and 64; packed: 64 and k * 64).
 */
type RowsProduct = (
  table: number,
  rows: number,
  w: number,
  panels: number,
  k: number,
  aStep: number,
  wStep: number,
  panelStep: number,
) => void;

/** Elman RNN BPTT rows: hPrev and the pre-activation gradient (dh + dy) act'(h) into dPre and the step's ds. */
type RnnGradRow = (
  y: number,
  hp: number,
  hPrev: number,
  dh: number,
  dy: number,
  dPre: number,
  ds: number,
  gateBytes: number,
  n4: number,
  rows: number,
) => void;

/** `rows` rows of n4 elements, `rowBytes` apart, from x into out. */
type ElementwiseRows = (x: number, out: number, rowBytes: number, n4: number, rows: number) => void;

/** Exports of simd_gates.build.mjs's module; every pointer is a byte address in the heap. */
export interface SimdGates {
  /** Table rows [hp, x, c, h, y, cells, gates]. */
  lstm_step: StepKernel;
  /** lstm_step without the BPTT workspace: table rows [hp, x, c, h, y]. */
  lstm_step_inference: StepKernel;
  /** Table rows [hp, x, h, y, workspace]. */
  gru_step: BiasedStepKernel;
  /** gru_step without the BPTT workspace: table rows [hp, x, h, y]. */
  gru_step_inference: BiasedStepKernel;
  /** Table rows [hp, x, h, y]; panels of 16 units. */
  rnn_tanh_step: StepKernel;
  rnn_relu_step: StepKernel;
  matmul_rows: RowsProduct;
  /** out += a W. */
  matmul_rows_add: RowsProduct;
  /** matmul_rows plus `bias` (16 * panels floats) on every row. */
  matmul_rows_bias: (...args: [...Parameters<RowsProduct>, bias: number]) => void;
  /** LSTM rows: gates at x/r in blocks `gateBytes` apart; c, h states updated; cells, y, gates written. */
  lstm_row(
    x: number,
    r: number,
    c: number,
    h: number,
    cells: number,
    y: number,
    gates: number,
    gateBytes: number,
    n4: number,
    rows: number,
  ): void;
  /** GRU rows: bias b (3 blocks), state h, output y, workspace w [r, z, n, hn]. */
  gru_row(
    x: number,
    r: number,
    b: number,
    h: number,
    y: number,
    w: number,
    gateBytes: number,
    n4: number,
    rows: number,
  ): void;
  /** LSTM BPTT rows: writes hPrev, dGates and the step's gate gradients dg; updates the carried dc. */
  lstm_grad_row(
    hp: number,
    cp: number,
    hPrev: number,
    gates: number,
    cell: number,
    dh: number,
    dy: number,
    dc: number,
    dGates: number,
    dg: number,
    gateBytes: number,
    n4: number,
    rows: number,
  ): void;
  /** GRU BPTT rows: writes hPrev, dXp, dHp and the step's gate gradients dg; updates the carried dh to dh z. */
  gru_grad_row(
    hp: number,
    hPrev: number,
    workspace: number,
    dh: number,
    dy: number,
    dXp: number,
    dHp: number,
    dg: number,
    gateBytes: number,
    n4: number,
    rows: number,
  ): void;
  rnn_tanh_row(x: number, r: number, h: number, y: number, gateBytes: number, n4: number, rows: number): void;
  rnn_tanh_grad_row: RnnGradRow;
  rnn_relu_grad_row: RnnGradRow;
  /** src [rows, cols] (rows srcStride bytes apart, cols a multiple of 16) as cols / 16 packed panels [rows, 16] at dst. */
  pack_panels(src: number, dst: number, rows: number, cols: number, srcStride: number): void;
  /** dst [cols, rows] = src [rows, cols]^T, rows `srcStride` / `dstStride` bytes apart; rows and cols multiples of 4. */
  transpose(src: number, dst: number, rows: number, cols: number, srcStride: number, dstStride: number): void;
  /** acc[j] += x[row][j] over `rows` rows `rowBytes` apart, j < n4. */
  column_sums(x: number, acc: number, rowBytes: number, n4: number, rows: number): void;
  /** dst row i = src row ids[i] (rowBytes each) for i < count; -1, or the first i whose index is not in [0, rows). */
  gather_rows(src: number, ids: number, count: number, rowBytes: number, dst: number, rows: number): number;
  /** Test hooks. */
  sigmoid_n: ElementwiseRows;
  tanh_n: ElementwiseRows;
}

let enabled = true;

let fusedStepsEnabled = true;

/** Turns the SIMD path off (true: on again), so tests can cover the JS fallback. */
export function setSimdGatesEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Turns the fused step kernels off (true: on again): the recurrences then take XNNPACK's step
 * product and the SIMD gate rows, so a benchmark can time both in one run.
 */
export function setFusedStepsEnabled(on: boolean): void {
  fusedStepsEnabled = on;
}

/**
 * The SIMD gate kernels instantiated on `memory`, or null where they cannot run (cached per memory; the
 * JS loops serve then).
 */
export const simdGatesOn = heapModule<SimdGates>({
  plain: SIMD_GATES_WASM_BASE64,
  sharedMemory: SIMD_GATES_SHARED_MEMORY_WASM_BASE64,
});

/** The SIMD gate kernels on this backend's memory, or null where they cannot run (JS fallback). */
export function simdGates(be: WasmBackendInternals): SimdGates | null {
  if (!enabled) return null;
  const memory = backendMemory(be);
  return memory ? simdGatesOn(memory) : null;
}

/**
 * The SIMD kernels where the fused steps (`lstm_step`, …) and their products may run, else null.
 * They run on one thread: where XNNPACK has several (tfjs-backend-wasm's threaded build, on
 * cross-origin-isolated pages) its parallel step products are left to it.
 */
export function fusedStepKernels(be: WasmBackendInternals): SimdGates | null {
  if (!fusedStepsEnabled || (be.wasm.tfjs.getThreadsCount?.() ?? 1) > 1) return null;
  return simdGates(be);
}
