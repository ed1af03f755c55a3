// @rnnkit/rnn-layers/internal: what rnnkit's own tests, benchmarks and packages use beyond the public API.
// Not covered by semver: names here may change or go in any release.
export { recurrentSequenceReference, hasFusedRecurrenceKernel } from './ops/recurrent_sequence.js';
export * as kernelNames from './ops/kernel_names.js';
export { RecurrentAdapter } from './keras/recurrent_adapter.js';
export { ACTIVATIONS } from './keras/activations.js';
export { KERAS_EPSILON, LOSS_NAMES } from './keras/losses.js';
export { meanLoss } from './keras/mean_loss.js';
export { resolveOptimizer, OPTIMIZER_NAMES } from './optimizers/resolve_optimizer.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './keras/model_artifacts.js';
// tfjs-backend-webgpu's internals as the WGSL kernels reach them (buffers, uniforms, pipelines), for
// other rnnkit packages' WGSL kernels (seq2seq's CTC loss).
export * as webgpuBackendAccess from './ops/webgpu/webgpu_backend_access.js';
// tfjs-backend-wasm's heap, for kernels of other packages that work on it in place (seq2seq's CTC).
export { inputIndices, wasmInternals, withWorkspace } from './ops/wasm/wasm_backend_access.js';
export type { WasmBackendInternals, WasmWorkspace } from './ops/wasm/wasm_backend_access.js';
export { backendMemory, decodeModuleBytes, heapModule } from './ops/wasm/heap_module.js';
export type { HeapModuleSource } from './ops/wasm/heap_module.js';
