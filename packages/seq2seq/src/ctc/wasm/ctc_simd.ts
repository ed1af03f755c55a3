import { backendMemory, heapModule, type WasmBackendInternals } from '@rnnkit/rnn-layers/internal';

import { CTC_SIMD_SHARED_MEMORY_WASM_BASE64, CTC_SIMD_WASM_BASE64 } from './ctc_simd_bytes.js';

// The CTC recursions as WebAssembly SIMD (ctc_simd.build.mjs), instantiated on tfjs-backend-wasm's own
// memory so that they read the log-probabilities and write the gradient in place. Every pointer is a
// byte address in that memory.

/** Exports of ctc_simd.build.mjs's module (see there for the layouts). */
export interface CtcSimd {
  /** E[t][j] = lp[t, n, label_j] for t < tn, j < len; the sentinel up to count. */
  ctc_emissions(
    lp: number,
    frameBytes: number,
    tn: number,
    labelOff: number,
    len: number,
    e: number,
    eRow: number,
    count: number,
  ): void;
  /** Alpha rows of one sequence; returns the offset of its last row, or -Infinity (no alignment). */
  ctc_alpha(
    lpBlank: number,
    frameBytes: number,
    e: number,
    eRow: number,
    skip: number,
    alpha: number,
    labelPart: number,
    rowBytes: number,
    keep: number,
    offsets: number,
    tn: number,
    len: number,
  ): number;
  /** Beta and the gradient of one sequence into out[t] for t < tn. */
  ctc_beta_grad(
    lpBlank: number,
    frameBytes: number,
    e: number,
    eRow: number,
    skipNext: number,
    alpha: number,
    labelPart: number,
    rowBytes: number,
    offsets: number,
    beta: number,
    tn: number,
    len: number,
    logP: number,
    out: number,
    classOff: number,
    blankOff: number,
    classes: number,
    frame: number,
  ): void;
}

let enabled = true;

/** Turns the SIMD kernel off (true: on again): the wasm backend then runs the plain-JS kernel. */
export function setCtcSimdEnabled(on: boolean): void {
  enabled = on;
}

/** The module instantiated on `memory`, or null where it cannot run (no SIMD; cached per memory). */
const ctcSimdOn = heapModule<CtcSimd>({
  plain: CTC_SIMD_WASM_BASE64,
  sharedMemory: CTC_SIMD_SHARED_MEMORY_WASM_BASE64,
});

/** The module on this backend's memory, or null where it cannot run (the JS kernel serves then). */
export function ctcSimd(be: WasmBackendInternals): CtcSimd | null {
  if (!enabled) return null;
  const memory = backendMemory(be);
  return memory ? ctcSimdOn(memory) : null;
}
