import './gradients.js';

export { BACKEND_NAMES, parseBackendRequest } from './backends/backend_name.js';
export type { BackendName, BackendRequest } from './backends/backend_name.js';
export { BackendUnavailableError } from './backends/backend_unavailable_error.js';
export { useBackend, tryUseBackend } from './backends/use_backend.js';
export { describeBackend } from './backends/backend_info.js';
export type { BackendInfo } from './backends/backend_info.js';
export type { WasmInfo } from './backends/load_wasm.js';
export { installDawn } from './backends/load_webgpu.js';
export type { DawnModule, WebGpuAdapterInfo } from './backends/load_webgpu.js';
export type { TensorflowInfo } from './backends/load_tensorflow.js';
export { listBackends } from './backends/list_backends.js';
export type { BackendStatus } from './backends/list_backends.js';

export { SeededRandom } from './random/seeded_random.js';
export { bucketByLength, paddingWaste } from './batching/length_buckets.js';
export type { BucketByLengthOptions, PaddingWaste } from './batching/length_buckets.js';
export {
  randomUniform,
  randomNormal,
  glorotUniform,
  orthogonal,
  computeFans,
} from './random/initializers.js';
export type { RandomSource } from './random/initializers.js';

export { readSafetensors, readSafetensorsHeader } from './safetensors/read_safetensors.js';
export type { SafetensorsEntry, SafetensorsHeader } from './safetensors/read_safetensors.js';
export { writeSafetensors } from './safetensors/write_safetensors.js';
export type { WriteSafetensorsOptions } from './safetensors/write_safetensors.js';
export type { SafetensorsDtype } from './safetensors/safetensors_dtype.js';

export { countLeakedTensors, expectNoTensorLeak } from './memory/expect_no_tensor_leak.js';
export { TensorLeakError } from './memory/tensor_leak_error.js';

export { checkOptions, optionKeys } from './options/check_options.js';
export type { OptionKeys, OptionSchema, CheckOptionsSettings } from './options/check_options.js';

export { writeDirectoryAtomically, recoverDirectory } from './io/atomic_directory.js';
export type { WriteDirectoryOptions } from './io/atomic_directory.js';
