import * as tf from '@tensorflow/tfjs-core';

/**
 * rnnkit's one rule for registering kernels on tfjs-core's global registry: a config is registered only
 * where no kernel is registered yet under its name for its backend, so the first registration wins and
 * nothing registered before (by tfjs, by the user, or by an earlier call) is replaced. A package lists
 * its configs most specialised first (WGSL, then wasm's SIMD kernels, then the plain-JS kernels that
 * serve cpu and fill wasm's gaps). Returns the configs it registered.
 */
export function registerKernelConfigs(configs: readonly tf.KernelConfig[]): tf.KernelConfig[] {
  const added: tf.KernelConfig[] = [];
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, config.backendName) !== undefined) continue;
    tf.registerKernel(config);
    added.push(config);
  }
  return added;
}
