/// <reference types="@webgpu/types" />
import type * as tf from '@tensorflow/tfjs-core';

// The fused recurrences encode their own compute passes on tfjs-backend-webgpu's device and command
// encoder: one dispatch per time step in a single pass, with the step index passed by a dynamic
// uniform offset. tfjs's program API would allocate a new output tensor per dispatch. These are the
// backend internals that requires (tfjs-backend-webgpu 4.22, pinned).

/** The parts of tfjs-backend-webgpu's WebGPUBackend the fused kernels use. */
export interface WebGpuBackendInternals {
  device: GPUDevice;
  queue: GPUQueue;
  tensorMap: { get(dataId: object): { resource?: unknown; values?: unknown } };
  bufferManager: { acquireBuffer(size: number, usage: number): GPUBuffer };
  commandEncoder: GPUCommandEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  uniformPendingDisposal: GPUBuffer[];
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The GPU buffer behind a tensor, uploaded if it still lives on the host. The tensor is marked as
 * used by the pending command buffer, so disposing it before submission defers the release.
 */
export function bufferOf(backend: WebGpuBackendInternals, t: tf.TensorInfo): GPUBuffer {
  backend.uploadToGPU(t.dataId);
  const resource = backend.tensorMap.get(t.dataId).resource as GPUBuffer | undefined;
  if (!resource || typeof (resource as { size?: unknown }).size !== 'number') {
    throw new Error(
      'rnn-layers webgpu kernel: tensor is not backed by a GPU buffer (textures are not supported)',
    );
  }
  const limit = backend.device.limits.maxStorageBufferBindingSize;
  if (resource.size > limit) {
    // Binding it would fail validation and the pass would silently not run.
    throw new Error(
      `rnn-layers webgpu: a tensor of shape [${t.shape.join(', ')}] needs a ${mebibytes(resource.size)} storage ` +
        `binding, but this device allows ${mebibytes(limit)} (maxStorageBufferBindingSize); use a smaller batch or shorter sequences, or the wasm backend`,
    );
  }
  backend.commandQueueOwnedIds.add(t.dataId);
  return resource;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MiB`;
}

/** A new float32 tensor on the GPU (uninitialised: the kernel writes every element). */
export function allocate(
  backend: WebGpuBackendInternals,
  shape: number[],
): { info: tf.TensorInfo; buffer: GPUBuffer } {
  const info = backend.makeTensorInfo(shape, 'float32');
  return { info, buffer: bufferOf(backend, info) };
}

/**
 * Host values (the lengths, a zero bias) in a read-only storage buffer for this command buffer only,
 * written through the queue into a pooled buffer: a tensor written from the host would be uploaded
 * through a new staging buffer at every call. Released by tfjs when it submits the command buffer.
 */
export function hostStorage(
  backend: WebGpuBackendInternals,
  values: Int32Array<ArrayBuffer> | Float32Array<ArrayBuffer>,
): GPUBuffer {
  const bytes = Math.max(16, Math.ceil(values.byteLength / 16) * 16);
  const buffer = backend.bufferManager.acquireBuffer(bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
  backend.queue.writeBuffer(buffer, 0, values);
  backend.uniformPendingDisposal.push(buffer);
  return buffer;
}

/**
 * One uniform block per step, 256-byte aligned for dynamic offsets: [step, batch, hidden, time,
 * reverse, ...]. Released by tfjs when it submits the command buffer.
 */
export function stepUniforms(
  backend: WebGpuBackendInternals,
  steps: Int32Array[],
): { buffer: GPUBuffer; stride: number } {
  const stride = Math.max(256, backend.device.limits.minUniformBufferOffsetAlignment);
  const data = new Int32Array((stride / 4) * steps.length);
  steps.forEach((block, i) => data.set(block, (i * stride) / 4));
  const buffer = backend.bufferManager.acquireBuffer(
    data.byteLength,
    GPUBufferUsage.COPY_DST | GPUBufferUsage.UNIFORM,
  );
  backend.queue.writeBuffer(buffer, 0, data);
  backend.uniformPendingDisposal.push(buffer);
  return { buffer, stride };
}

/** Ends tfjs's open compute pass and returns its command encoder, for copies and our own pass. */
export function commandEncoder(backend: WebGpuBackendInternals): GPUCommandEncoder {
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  return backend.commandEncoder!;
}

const pipelines = new WeakMap<
  GPUDevice,
  Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>
>();

/**
 * A compute pipeline with an explicit layout: binding 0 is the per-step uniform block (dynamic
 * offset), then storage buffers, read-only or read-write as `storage` says. Cached per device.
 */
export function stepPipeline(
  device: GPUDevice,
  key: string,
  code: string,
  storage: ReadonlyArray<'read' | 'read_write'>,
): { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout } {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  const layout = device.createBindGroupLayout({
    entries: [
      {
        binding: 0,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 32 },
      },
      ...storage.map((access, i) => ({
        binding: i + 1,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: access === 'read' ? ('read-only-storage' as const) : ('storage' as const) },
      })),
    ],
  });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const entry = { pipeline, layout };
  cache.set(key, entry);
  return entry;
}

/** Lengths as int32, `time` for every sequence when the attr is empty (all full length). */
export function lengthsArray(
  lengths: readonly number[],
  batch: number,
  time: number,
): Int32Array<ArrayBuffer> {
  return lengths.length === 0 ? new Int32Array(batch).fill(time) : Int32Array.from(lengths);
}
