import { decodeModuleBytes, type WasmBackendInternals } from '@rnnkit/rnn-layers/internal';

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
const instances = new WeakMap<WebAssembly.Memory, CtcSimd | null>();

/** Turns the SIMD kernel off (true: on again): the wasm backend then runs the plain-JS kernel. */
export function setCtcSimdEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The module instantiated on `memory`, or null where it cannot run (no SIMD; cached per memory).
 * Compiled synchronously, which browsers may refuse on their main thread for modules over 4 KB (older
 * Chromium): then it compiles asynchronously and the JS kernel serves until it is ready.
 */
function ctcSimdOn(memory: WebAssembly.Memory): CtcSimd | null {
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  instances.set(memory, null);
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = decodeModuleBytes(shared ? CTC_SIMD_SHARED_MEMORY_WASM_BASE64 : CTC_SIMD_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null; // no SIMD: the JS kernel serves
  const imports = { env: { memory } };
  try {
    const simd = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports)
      .exports as unknown as CtcSimd;
    instances.set(memory, simd);
    return simd;
  } catch {
    WebAssembly.instantiate(bytes, imports).then(
      ({ instance }) => instances.set(memory, instance.exports as unknown as CtcSimd),
      () => undefined, // e.g. a memory whose limits the import does not accept: the JS kernel serves
    );
    return null;
  }
}

/** The module on this backend's memory, or null where it cannot run (the JS kernel serves then). */
export function ctcSimd(be: WasmBackendInternals): CtcSimd | null {
  if (!enabled) return null;
  const memory = (be.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  return memory instanceof WebAssembly.Memory ? ctcSimdOn(memory) : null;
}
