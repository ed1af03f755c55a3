import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import { registerKernelConfigs } from './register_kernel_configs.js';

const NAME = 'RnnkitTestRegisterKernelConfigs';
const kernelFunc =
  (value: number): tf.KernelFunc =>
  () => ({ dataId: {}, shape: [value], dtype: 'float32' });

describe('registerKernelConfigs', () => {
  afterEach(() => {
    for (const backendName of ['cpu', 'wasm'])
      if (tf.getKernel(NAME, backendName)) tf.unregisterKernel(NAME, backendName);
  });

  it('registers what is missing and keeps what was registered first', () => {
    const first = { kernelName: NAME, backendName: 'cpu', kernelFunc: kernelFunc(1) };
    expect(registerKernelConfigs([first])).toEqual([first]);
    const second = { kernelName: NAME, backendName: 'cpu', kernelFunc: kernelFunc(2) };
    const wasm = { kernelName: NAME, backendName: 'wasm', kernelFunc: kernelFunc(3) };
    expect(registerKernelConfigs([second, wasm])).toEqual([wasm]);
    expect(tf.getKernel(NAME, 'cpu')?.kernelFunc).toBe(first.kernelFunc);
    expect(tf.getKernel(NAME, 'wasm')?.kernelFunc).toBe(wasm.kernelFunc);
  });
});
