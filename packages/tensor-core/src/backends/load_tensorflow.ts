import { BackendUnavailableError } from './backend_unavailable_error.js';
import { IS_NODE, importOptional, isInstalled } from './runtime.js';

export interface TensorflowInfo {
  /** Which package provided the backend. */
  package: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';
  gpu: boolean;
}

const PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const INSTALL_FIX =
  'npm install @tensorflow/tfjs-node-gpu@4.22.0 (NVIDIA GPU, needs CUDA 11.x and cuDNN 8) or @tensorflow/tfjs-node@4.22.0 (CPU). ' +
  'Their install script downloads libtensorflow from the internet, so it fails offline and must be allowed to run ' +
  "(npm 11: 'npm install-scripts approve'); with CUDA 12 or newer the GPU package loads but cannot use the GPU";

let loaded: TensorflowInfo | undefined;

/** Loads tfjs-node-gpu, else tfjs-node, lazily: neither is ever required to install rnnkit. */
export async function loadTensorflowBackend(): Promise<string> {
  if (!IS_NODE) {
    throw new BackendUnavailableError(
      'tensorflow',
      'libtensorflow bindings exist only in Node.js',
      'use webgpu or wasm in the browser',
    );
  }
  const failures: string[] = [];
  for (const pkg of PACKAGES) {
    if (!isInstalled(pkg)) {
      failures.push(`${pkg} is not installed`);
      continue;
    }
    try {
      const mod = await importOptional<{ version?: { 'tfjs-node'?: string } }>(pkg);
      loaded = { package: pkg, gpu: pkg.endsWith('-gpu') };
      return mod.version?.['tfjs-node'] ?? '4.22.0';
    } catch (error) {
      failures.push(`${pkg} is installed but failed to load: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new BackendUnavailableError('tensorflow', failures.join('; '), INSTALL_FIX);
}

export function tensorflowInfo(): TensorflowInfo | undefined {
  return loaded;
}
