import { registerKernelConfigs } from '@rnnkit/tensor-core/internal';

import { JS_KERNEL_BACKENDS, jsKernelConfigs } from './cpu/js_kernels.js';
import { shareWasmIdentity, wasmKernelConfigs } from './wasm/wasm_kernels.js';
import { webgpuKernelConfigs } from './webgpu/webgpu_kernels.js';

let registered = false;

/**
 * Registers every rnn-layers kernel for every backend that has one, by tensor-core's one rule (a
 * kernel already registered under a name and backend stays): WGSL for webgpu, wasm's heap kernels,
 * then the plain-JS kernels, which serve cpu and fill wasm's gaps. The ops call this on use. Only the
 * first call acts, so a test or benchmark may swap kernels afterwards without this undoing it.
 */
export function registerRnnLayersKernels(): void {
  if (registered) return;
  registered = true;
  registerKernelConfigs([
    ...webgpuKernelConfigs,
    ...wasmKernelConfigs,
    ...JS_KERNEL_BACKENDS.flatMap((backendName) => jsKernelConfigs(backendName)),
  ]);
  shareWasmIdentity();
}
