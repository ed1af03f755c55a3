import * as tf from '@tensorflow/tfjs-core';

import type { BackendName } from './backend_name.js';
import { wasmInfo, type WasmInfo } from './load_wasm.js';
import { webGpuAdapterInfo, type WebGpuAdapterInfo } from './load_webgpu.js';
import { tensorflowInfo, type TensorflowInfo } from './load_tensorflow.js';
import { loadedBackendVersions } from './backend_versions.js';

/** What the active backend is and what it runs on. */
export interface BackendInfo {
  name: BackendName;
  versions: { tfjsCore: string; backend: string };
  /** For webgpu: the adapter tfjs runs on. */
  adapter?: WebGpuAdapterInfo;
  /** For wasm: thread count and SIMD. */
  wasm?: WasmInfo;
  /** For tensorflow: which binding package is loaded. */
  tensorflow?: TensorflowInfo;
}

/** Describes the active backend (after `useBackend`). */
export async function describeBackend(): Promise<BackendInfo> {
  const name = tf.getBackend() as BackendName;
  const info: BackendInfo = {
    name,
    versions: { tfjsCore: tf.version_core, backend: loadedBackendVersions.get(name) ?? 'unknown' },
  };
  if (name === 'webgpu') info.adapter = webGpuAdapterInfo();
  if (name === 'wasm') info.wasm = await wasmInfo();
  if (name === 'tensorflow') info.tensorflow = tensorflowInfo();
  return info;
}
