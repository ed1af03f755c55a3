import type * as TfjsBackendWasm from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

export interface WasmInfo {
  threads: number;
  simd: boolean;
  multithread: boolean;
}

let wasmModule: typeof TfjsBackendWasm | undefined;

/** Registers the WebAssembly backend. In Node it reads its .wasm files from its own package. */
export async function loadWasmBackend(): Promise<string> {
  wasmModule ??= await import('@tensorflow/tfjs-backend-wasm');
  return wasmModule.version_wasm;
}

/** Threads and SIMD of the active wasm backend. */
export async function wasmInfo(): Promise<WasmInfo> {
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const multithread = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { threads: wasmModule?.getThreadsCount() ?? 1, simd, multithread };
}
