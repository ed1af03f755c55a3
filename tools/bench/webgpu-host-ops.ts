// Counts the host-side WebGPU work of one call on tfjs-backend-webgpu: dispatches (one bind group
// each), new buffers (tfjs uploads host data through a new staging buffer) and queue submissions.
// On a discrete GPU driven through Dawn from Node these, not the arithmetic, dominate a small step.
import * as tf from '@tensorflow/tfjs-core';

export interface HostOps {
  bindGroups: number;
  buffers: number;
  submits: number;
}

export async function countHostOps(fn: () => Promise<void>): Promise<HostOps> {
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  const device = backend.device;
  if (!device) throw new Error('countHostOps: the active backend is not webgpu');
  const counts: HostOps = { bindGroups: 0, buffers: 0, submits: 0 };
  const originals = {
    createBindGroup: device.createBindGroup,
    createBuffer: device.createBuffer,
    submit: device.queue.submit,
  };
  device.createBindGroup = (d) => (counts.bindGroups++, originals.createBindGroup.call(device, d));
  device.createBuffer = (d) => (counts.buffers++, originals.createBuffer.call(device, d));
  device.queue.submit = (b) => (counts.submits++, originals.submit.call(device.queue, b));
  try {
    await fn();
  } finally {
    Object.assign(device, {
      createBindGroup: originals.createBindGroup,
      createBuffer: originals.createBuffer,
    });
    device.queue.submit = originals.submit;
  }
  return counts;
}
