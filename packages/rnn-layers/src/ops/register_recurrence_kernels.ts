import { registerJsRecurrenceKernels } from './cpu/register_js_kernels.js';
import { registerWasmRecurrenceKernels } from './wasm/register_wasm_kernels.js';
import { registerWebGpuRecurrenceKernels } from './webgpu/register_webgpu_kernels.js';

/**
 * Registers every backend's fused kernels (idempotent): WGSL for webgpu, XNNPACK + SIMD for wasm, then
 * the plain-JS kernels, which only fill the names still missing (all of cpu's).
 */
export function registerRecurrenceKernels(): void {
  registerWebGpuRecurrenceKernels();
  registerWasmRecurrenceKernels();
  registerJsRecurrenceKernels();
}
