import * as tf from '@tensorflow/tfjs-core';

import { BackendUnavailableError } from './backend_unavailable_error.js';
import { IS_NODE, importOptional, isInstalled } from './runtime.js';

export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as Mesa's lavapipe or SwiftShader. */
  isSoftware: boolean;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>>;
  isFallbackAdapter?: boolean;
}

let adapterInfo: WebGpuAdapterInfo | undefined;

const VULKAN_FIX =
  'install a Vulkan driver: the GPU vendor driver, or for a software GPU Mesa lavapipe ' +
  "(Debian: 'apt-get install -t bookworm-backports mesa-vulkan-drivers'; Dawn rejects Mesa 22.x), " +
  'and set XDG_RUNTIME_DIR';

let dawnGpu: { dawn: DawnModule; gpu: GpuLike } | undefined;

/**
 * The WebGPU entry point without touching any global: the browser's (or an installed) `navigator.gpu`, or
 * in Node a GPU object made by the `webgpu` package (Dawn), kept for `installDawn` if webgpu is chosen.
 */
async function findGpu(): Promise<GpuLike> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (dawnGpu) return dawnGpu.gpu;
  if (!IS_NODE) {
    throw new BackendUnavailableError(
      'webgpu',
      'this browser has no navigator.gpu',
      'use a browser with WebGPU enabled (Chrome 113+, Edge, Safari 26+, Firefox 141+)',
    );
  }
  if (!isInstalled('webgpu')) {
    throw new BackendUnavailableError(
      'webgpu',
      "the npm package 'webgpu' (Dawn for Node) is not installed",
      'npm install webgpu, then make sure a Vulkan driver is installed',
    );
  }
  let dawn: DawnModule;
  try {
    dawn = await importOptional('webgpu');
  } catch (error) {
    throw new BackendUnavailableError(
      'webgpu',
      `the 'webgpu' package failed to load: ${(error as Error).message}`,
      VULKAN_FIX,
    );
  }
  // Dawn's Vulkan loader wants a runtime directory; a missing one is a common failure on servers. It is
  // set only for this probe unless webgpu is then chosen (installDawn sets it for good).
  const hadRuntimeDir = process.env.XDG_RUNTIME_DIR !== undefined;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  try {
    dawnGpu = { dawn, gpu: dawn.create([]) as GpuLike };
  } finally {
    if (!hadRuntimeDir) delete process.env.XDG_RUNTIME_DIR;
  }
  return dawnGpu.gpu;
}

/** The parts of the npm package `webgpu` (Dawn for Node) that rnnkit uses. */
export interface DawnModule {
  create(flags: string[]): unknown;
  globals: object;
}

/**
 * Makes Dawn the process's `navigator.gpu` (and its GPU* classes globals), unless one exists already.
 * `useBackend('webgpu')` does this itself, only once webgpu is chosen; call it with `await import('webgpu')`
 * where the package cannot be found at run time, e.g. in a bundle.
 */
export function installDawn(dawn: DawnModule, gpu?: unknown): unknown {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav?.gpu) return nav.gpu;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  Object.assign(globalThis, dawn.globals);
  const created = gpu ?? dawn.create([]);
  if (nav) Object.defineProperty(nav, 'gpu', { value: created, configurable: true });
  else
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: created },
      configurable: true,
      writable: true,
    });
  return created;
}

/**
 * Asks for a WebGPU adapter and describes it, setting no global: `useBackend('auto')` looks at this
 * before choosing webgpu, so passing over a software adapter leaves the process as it was.
 */
export async function probeWebGpuAdapter(): Promise<WebGpuAdapterInfo> {
  if (adapterInfo) return adapterInfo;
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new BackendUnavailableError(
      'webgpu',
      'no WebGPU adapter was found (no usable Vulkan/Metal/D3D12 driver)',
      VULKAN_FIX,
    );
  }
  const info = adapter.info ?? {};
  const architecture = info.architecture ?? '';
  adapterInfo = {
    vendor: info.vendor ?? '',
    architecture,
    device: info.device ?? '',
    description: info.description ?? '',
    isSoftware:
      Boolean(adapter.isFallbackAdapter) ||
      architecture === 'software' ||
      /llvmpipe|lavapipe|swiftshader/i.test(info.description ?? ''),
  };
  return adapterInfo;
}

/** Registers the WebGPU backend if an adapter exists: Dawn's globals go in only now. Returns the backend's version. */
export async function loadWebGpuBackend(): Promise<string> {
  await probeWebGpuAdapter();
  if (dawnGpu) installDawn(dawnGpu.dawn, dawnGpu.gpu);
  await import('@tensorflow/tfjs-backend-webgpu');
  // The webgpu backend exports no version; rnnkit pins every @tensorflow package to one version.
  return tf.version_core;
}

/** The adapter found by `loadWebGpuBackend`, if it ran. */
export function webGpuAdapterInfo(): WebGpuAdapterInfo | undefined {
  return adapterInfo;
}
