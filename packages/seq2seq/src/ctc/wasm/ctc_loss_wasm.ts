/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed-array reads at indices bounded by the lengths the op checked */
import type * as tf from '@tensorflow/tfjs-core';
import {
  inputIndices,
  wasmInternals,
  withWorkspace,
  type WasmBackendInternals,
  type WasmWorkspace,
} from '@rnnkit/rnn-layers/internal';

import { labelOffsets } from '../cpu/ctc_loss_js.js';
import { ctcLossWasmConfig as jsCtcLossWasmConfig } from '../cpu/register_js_kernels.js';
import { kernelConfig, type CtcKernelAttrs, type TypedKernelFunc } from '../kernel_config.js';
import { CTC_LOSS, type CtcLossInputs } from '../kernel_names.js';
import { ctcSimd, type CtcSimd } from './ctc_simd.js';

// CTC_LOSS on tfjs-backend-wasm: the SIMD module (ctc_simd.build.mjs) runs each sequence's alpha and
// beta recursions in place on the backend's heap, reading the log-probabilities where they lie and
// writing the gradient into its output. This file lays out the scratch memory and each sequence's
// label tables and turns the module's log-likelihoods into losses. Without SIMD the plain-JS kernel
// runs instead.

/** Values below this are the module's -Infinity (its sentinel is -1e30). */
const NEG_THRESHOLD = -1e29;

const orNegInfinity = (v: number): number => (v < NEG_THRESHOLD ? -Infinity : v);

/** The largest of `values` and `floor` (no spread: a batch may be longer than the engine's argument limit). */
function largest(values: readonly number[], floor: number): number {
  let m = floor;
  for (const v of values) m = Math.max(m, v);
  return m;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * Scratch memory of one call (byte addresses), sized for its longest input and target. A row holds
 * the blank states (0..L) and, labelPart bytes later, the label states (0..L-1) of one frame, each
 * part in vectors of 4 states with a sentinel vector on either side.
 */
class Scratch {
  readonly labelPart: number;
  readonly rowBytes: number;
  /** Alpha: every frame's row when a gradient follows, else two alternating rows. */
  readonly alpha: number;
  /** Beta: two alternating rows. */
  readonly beta: number;
  /** Emissions E[t][j] = lp[t, n, label j], rows of eRow bytes. */
  readonly e: number;
  readonly eRow: number;
  /** Alpha's per-frame offsets (float64). */
  readonly offsets: number;
  /** Per label: its class's byte offset in a frame (the blank's past the target) and two masks. */
  readonly classOff: number;
  readonly skip: number;
  readonly skipNext: number;
  /** One frame's gradient being summed, all zero between frames. */
  readonly frame: number;

  constructor(ws: WasmWorkspace, maxT: number, maxL: number, C: number, allRows: boolean) {
    const vectors = (maxL >> 2) + 1;
    this.labelPart = 16 * (vectors + 2);
    this.rowBytes = 2 * this.labelPart;
    const bytes = (size: number) => 4 * ws.floats(size / 4);
    this.alpha = bytes((allRows ? maxT : 2) * this.rowBytes) + 16;
    this.beta = bytes(2 * this.rowBytes) + 16;
    this.eRow = 16 * vectors;
    this.e = bytes(maxT * this.eRow);
    this.offsets = bytes(8 * maxT);
    this.classOff = bytes(16 * vectors);
    this.skip = bytes(16 * vectors);
    this.skipNext = bytes(16 * vectors);
    this.frame = bytes(4 * (C + 4));
  }

  /** Writes sequence `labels`' tables (its length padded to whole vectors); returns that padded length. */
  prepare(heap32: Int32Array, labels: Int32Array, blank: number): number {
    const length = labels.length;
    const count = 4 * ((length >> 2) + 1);
    const [classOff, skip, skipNext] = [this.classOff, this.skip, this.skipNext].map((p) => p >>> 2);
    for (let j = 0; j < count; j++) {
      const label = j < length ? labels[j]! : blank;
      heap32[classOff! + j] = 4 * label;
      // l_j may be entered from l_{j-1}, and left for l_{j+1}, where the labels differ.
      heap32[skip! + j] = j > 0 && j < length && label !== labels[j - 1] ? -1 : 0;
      heap32[skipNext! + j] = j + 1 < length && label !== labels[j + 1] ? -1 : 0;
    }
    return count;
  }
}

function runCtcLoss(
  be: WasmBackendInternals,
  simd: CtcSimd,
  { logProbs, targets }: CtcLossInputs,
  { inputLengths, targetLengths, blank, zeroInfinity, workspace }: CtcKernelAttrs<typeof CTC_LOSS>,
): tf.TensorInfo[] {
  const [T = 0, N = 0, C = 0] = logProbs.shape;
  const firstLabels = labelOffsets(targetLengths, targets.shape.length === 2 ? (targets.shape[1] ?? 0) : 0);
  const at = inputIndices(be, { logProbs, targets });
  return withWorkspace(be, (ws) => {
    const losses = ws.output([N]);
    const gradient = workspace ? ws.output([T, N, C]) : undefined;
    const s = new Scratch(ws, largest(inputLengths, 1), largest(targetLengths, 0), C, workspace);
    // Views after the last allocation (malloc may grow the memory, which detaches older views).
    const heapF32 = be.wasm.HEAPF32;
    const heap32 = be.wasm.HEAP32;
    heapF32.fill(0, s.frame >>> 2, (s.frame >>> 2) + C + 4);
    const frameBytes = 4 * N * C;
    const fillRows = (n: number, from: number, to: number, value: number) => {
      for (let t = from; t < to; t++) {
        const row = gradient!.at + (t * N + n) * C;
        heapF32.fill(value, row, row + C);
      }
    };
    for (let n = 0; n < N; n++) {
      const tn = inputLengths[n]!;
      const len = targetLengths[n]!;
      const lp = 4 * (at.logProbs + n * C); // frame 0 of sequence n
      const lpBlank = lp + 4 * blank;
      let logP = len === 0 ? 0 : -Infinity; // no frames: only the empty target fits
      if (tn > 0) {
        const labels = heap32.subarray(at.targets + firstLabels[n]!, at.targets + firstLabels[n]! + len);
        const count = s.prepare(heap32, labels, blank);
        simd.ctc_emissions(lp, frameBytes, tn, s.classOff, len, s.e, s.eRow, count);
        const k = simd.ctc_alpha(
          lpBlank,
          frameBytes,
          s.e,
          s.eRow,
          s.skip,
          s.alpha,
          s.labelPart,
          s.rowBytes,
          workspace ? 1 : 0,
          s.offsets,
          tn,
          len,
        );
        // The path ends in the last blank or the last label of the last frame's row.
        const last = (s.alpha + s.rowBytes * (workspace ? tn - 1 : (tn - 1) & 1)) >>> 2;
        const lastBlank = orNegInfinity(heapF32[last + len]!);
        const lastLabel = len === 0 ? -Infinity : orNegInfinity(heapF32[last + s.labelPart / 4 + len - 1]!);
        logP = k === -Infinity ? -Infinity : k + logAdd(lastBlank, lastLabel);
      }
      heapF32[losses.at + n] = logP === -Infinity && zeroInfinity ? 0 : 0 - logP; // +0 for an empty target
      if (!gradient) continue;
      if (tn > 0 && logP !== -Infinity) {
        const out = 4 * (gradient.at + n * C);
        simd.ctc_beta_grad(
          lpBlank,
          frameBytes,
          s.e,
          s.eRow,
          s.skipNext,
          s.alpha,
          s.labelPart,
          s.rowBytes,
          s.offsets,
          s.beta,
          tn,
          len,
          logP,
          out,
          s.classOff,
          4 * blank,
          C,
          s.frame,
        );
      } else {
        // No alignment fits: the loss is infinite and its gradient undefined (0 under zeroInfinity).
        fillRows(n, 0, tn, zeroInfinity ? 0 : NaN);
      }
      fillRows(n, tn, T, 0); // frames past the input
    }
    return gradient ? [losses.info, gradient.info] : [losses.info];
  });
}

/** The losses; with attrs.workspace also each sequence's gradient, from the same pass over alpha. */
const ctcLossWasm: TypedKernelFunc<typeof CTC_LOSS> = (args) => {
  const be = wasmInternals(args.backend);
  const simd = ctcSimd(be);
  if (simd === null) return jsCtcLossWasmConfig.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
  return runCtcLoss(be, simd, args.inputs, args.attrs);
};

/** CTC_LOSS on wasm by the SIMD module, registered before the plain-JS kernel (its fallback without SIMD). */
export const ctcLossWasmSimdConfig = kernelConfig(CTC_LOSS, 'wasm', ctcLossWasm);

/** The SIMD configs, for registerCtcKernels to list before the plain-JS ones. */
export const wasmCtcKernelConfigs: readonly tf.KernelConfig[] = [ctcLossWasmSimdConfig];
