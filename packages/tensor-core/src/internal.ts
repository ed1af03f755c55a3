// @rnnkit/tensor-core/internal: what rnnkit's own packages, apps and tools share beyond the public API.
// Not covered by semver: names here may change or go in any release.
export { AUTO_BACKEND_ORDER, isBackendName } from './backends/backend_name.js';
export { IS_NODE } from './backends/runtime.js';
export { SAFETENSORS_DTYPES } from './safetensors/safetensors_dtype.js';
export { booleanOption, suggestOption } from './options/check_options.js';
export { previewValue } from './options/preview_value.js';
// rnnkit's one rule for adding kernels to tfjs-core's registry (first registration wins).
export { registerKernelConfigs } from './kernels/register_kernel_configs.js';
// Typed kernels (name → inputs, attrs) and ops whose gradient workspace is saved, not output.
export { runTypedKernel, typedKernelConfig, typedKernels } from './kernels/typed_kernels.js';
export type {
  KernelSignature,
  KernelSignatures,
  OpInputs,
  OpResult,
  TypedKernelFunc,
} from './kernels/typed_kernels.js';
export { runOpWithWorkspace } from './kernels/op_with_workspace.js';
export type { OpWithWorkspace } from './kernels/op_with_workspace.js';
// The SHA-256 a saved model's config records of its weights (rnn-layers' and seq2seq's save/load).
export { sha256Hex } from './io/sha256_hex.js';
