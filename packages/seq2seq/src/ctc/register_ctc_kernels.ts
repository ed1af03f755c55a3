import { registerKernelConfigs } from '@rnnkit/tensor-core/internal';

import { jsCtcKernelConfigs } from './cpu/register_js_kernels.js';
import { wasmCtcKernelConfigs } from './wasm/ctc_loss_wasm.js';
import { webgpuCtcKernelConfigs } from './webgpu/ctc_loss_webgpu.js';

let registered = false;

/**
 * Registers the CTC kernels of every backend (idempotent), most specialised first under tensor-core's
 * first-registration-wins rule: the plain-JS kernels (cpu, wasm) come last, after the fused wasm and
 * WGSL kernels that take the same names.
 */
export function registerCtcKernels(): void {
  if (registered) return;
  registerKernelConfigs([...webgpuCtcKernelConfigs, ...wasmCtcKernelConfigs, ...jsCtcKernelConfigs]);
  registered = true;
}
