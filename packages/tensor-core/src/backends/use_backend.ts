import * as tf from '@tensorflow/tfjs-core';

import '../gradients.js';
import { AUTO_BACKEND_ORDER, parseBackendRequest, type BackendName } from './backend_name.js';
import { BackendUnavailableError } from './backend_unavailable_error.js';
import './default_cpu_backend.js';
import { loadCpuBackend } from './load_cpu.js';
import { loadTensorflowBackend } from './load_tensorflow.js';
import { loadWasmBackend } from './load_wasm.js';
import { loadWebGpuBackend, probeWebGpuAdapter } from './load_webgpu.js';
import { describeBackend, type BackendInfo } from './backend_info.js';
import { loadedBackendVersions as versions } from './backend_versions.js';
import { keepProcessHandlers } from './keep_process_handlers.js';

const LOADERS: Record<BackendName, () => Promise<string>> = {
  cpu: loadCpuBackend,
  wasm: loadWasmBackend,
  webgpu: loadWebGpuBackend,
  tensorflow: loadTensorflowBackend,
};

const failures = new Map<BackendName, BackendUnavailableError>();

/**
 * Makes `name` the active tfjs backend: loads its package, initialises it and checks it works.
 * Throws `BackendUnavailableError` (with a reason and a fix) when it cannot be used here.
 * A failure is remembered, so asking again is cheap and gives the same answer.
 */
async function activate(name: BackendName): Promise<void> {
  const known = failures.get(name);
  if (known) throw known;
  try {
    await keepProcessHandlers(async () => {
      if (!versions.has(name)) versions.set(name, await LOADERS[name]());
      if (tf.getBackend() === name) return;
      if (!(await tf.setBackend(name))) {
        throw new BackendUnavailableError(
          name,
          'tfjs registered the backend but could not initialise it (its warning above says why)',
          name === 'webgpu' ? 'update the GPU driver, or use wasm' : 'use another backend',
        );
      }
      await tf.ready();
    });
  } catch (error) {
    const unavailable =
      error instanceof BackendUnavailableError
        ? error
        : new BackendUnavailableError(name, (error as Error).message, 'use another backend');
    failures.set(name, unavailable);
    throw unavailable;
  }
}

/**
 * Selects and readies a backend: `'cpu' | 'wasm' | 'webgpu' | 'tensorflow'`, or `'auto'` for the first
 * that works of tensorflow, webgpu, wasm, cpu, passing over webgpu on a software adapter (ask for
 * 'webgpu' by name to use one). Resolves to a description of the active backend.
 *
 * Globals: only a selected webgpu backend in Node sets any — `navigator.gpu` and Dawn's `GPU*` classes
 * (tfjs-backend-webgpu reads them), and `XDG_RUNTIME_DIR=/tmp` when unset (Dawn's Vulkan loader needs
 * one). Probing webgpu and passing it over leaves none behind. Process-wide error listeners that a
 * backend adds are removed (see keepProcessHandlers).
 */
export async function useBackend(request: string = 'auto'): Promise<BackendInfo> {
  const parsed = parseBackendRequest(request);
  if (parsed !== 'auto') {
    await activate(parsed);
    return describeBackend();
  }
  for (const name of AUTO_BACKEND_ORDER) {
    try {
      // A software WebGPU adapter (Mesa lavapipe, SwiftShader) runs on the CPU, slower than wasm there;
      // it is recognised before webgpu is started, so passing it over sets no global.
      if (name === 'webgpu' && tf.getBackend() !== 'webgpu' && (await probeWebGpuAdapter()).isSoftware)
        continue;
      await activate(name);
      const info = await describeBackend();
      if (info.adapter?.isSoftware) continue;
      return info;
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
    }
  }
  throw new Error('useBackend: no backend could be initialised, not even cpu');
}

/** Like `useBackend`, but resolves to the error instead of throwing when the backend is unavailable. */
export async function tryUseBackend(name: BackendName): Promise<BackendInfo | BackendUnavailableError> {
  try {
    return await useBackend(name);
  } catch (error) {
    if (error instanceof BackendUnavailableError) return error;
    throw error;
  }
}
