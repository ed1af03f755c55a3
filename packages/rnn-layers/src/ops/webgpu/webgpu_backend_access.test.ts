import { describe, expect, it } from 'vitest';

import { bufferOf, type WebGpuBackendInternals } from './webgpu_backend_access.js';

describe('bufferOf', () => {
  it('refuses a buffer larger than the device may bind, naming the shape and both sizes', () => {
    const dataId = {};
    const backend = {
      device: { limits: { maxStorageBufferBindingSize: 128 * 2 ** 20 } },
      uploadToGPU: () => undefined,
      tensorMap: { get: () => ({ resource: { size: 256 * 2 ** 20 } }) },
      commandQueueOwnedIds: new WeakSet<object>(),
    } as unknown as WebGpuBackendInternals;
    expect(() => bufferOf(backend, { dataId, shape: [64, 2048, 512], dtype: 'float32' })).toThrow(
      /a tensor of shape \[64, 2048, 512\] needs a 256 MiB storage binding, but this device allows 128 MiB \(maxStorageBufferBindingSize\)/,
    );
    expect(backend.commandQueueOwnedIds.has(dataId)).toBe(false);
  });
});
