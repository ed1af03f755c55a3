/// <reference types="@webgpu/types" />
import type * as tf from '@tensorflow/tfjs-core';
import { webgpuBackendAccess as gpu } from '@rnnkit/rnn-layers/internal';

import { labelOffsets } from '../cpu/ctc_loss_js.js';
import { kernelConfig, type TypedKernelFunc } from '../kernel_config.js';
import { CTC_LOSS } from '../kernel_names.js';
import {
  OCCUPANCY_SHADER,
  OCCUPANCY_WORKGROUP,
  PARAMS_WORDS,
  RECURSION_SHADER,
  RECURSION_WORKGROUP,
} from './ctc_loss_shaders.js';

// CTC_LOSS on webgpu: two dispatches in one compute pass on tfjs-backend-webgpu's command encoder
// (through rnn-layers' access to its internals), the batch in parallel. See ctc_loss_shaders.ts.

type Backend = gpu.WebGpuBackendInternals;

const MAX_GROUPS_X = 65535;
const INFINITY_BITS = 0x7f800000;
const NAN_BITS = 0x7fc00000;

/** A grid of at least `groups` workgroups, at most MAX_GROUPS_X per row. */
function grid(groups: number): { x: number; y: number } {
  const x = Math.max(1, Math.min(groups, MAX_GROUPS_X));
  return { x, y: Math.max(1, Math.ceil(groups / x)) };
}

function bindGroup(
  be: Backend,
  layout: GPUBindGroupLayout,
  uniforms: GPUBuffer,
  buffers: GPUBuffer[],
): GPUBindGroup {
  return be.device.createBindGroup({
    layout,
    entries: [
      { binding: 0, resource: { buffer: uniforms, size: PARAMS_WORDS * 4 } },
      ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
    ],
  });
}

/** Without frames or sequences there is nothing to dispatch: the losses follow from the lengths. */
function withoutFrames(
  backend: object,
  T: number,
  N: number,
  C: number,
  targetLengths: readonly number[],
  zeroInfinity: boolean,
  workspace: boolean,
): tf.TensorInfo[] {
  const be = backend as tf.KernelBackend;
  const losses = Float32Array.from(targetLengths, (L) => (L === 0 || zeroInfinity ? 0 : Infinity));
  const out: tf.TensorInfo[] = [{ dataId: be.write(losses, [N], 'float32'), shape: [N], dtype: 'float32' }];
  if (workspace)
    out.push({
      dataId: be.write(new Float32Array(T * N * C), [T, N, C], 'float32'),
      shape: [T, N, C],
      dtype: 'float32',
    });
  return out;
}

/**
 * The labels as the shader reads them. Targets usually come from the host: their values are written
 * into a buffer for this call and the tensor stays on the host, where the op's checks read it
 * synchronously on the next call (a synchronous read of GPU data fails in Node). An empty targets
 * tensor has no buffer to bind; no state reads it then.
 */
function labelsBuffer(be: Backend, targets: tf.TensorInfo): GPUBuffer {
  const values = be.tensorMap.get(targets.dataId).values;
  if (values instanceof Int32Array) return gpu.hostStorage(be, Int32Array.from(values));
  if (targets.shape.reduce((a, b) => a * b, 1) === 0) return gpu.hostStorage(be, new Int32Array(4));
  return gpu.bufferOf(be, targets);
}

const ctcLossWebGpu: TypedKernelFunc<typeof CTC_LOSS> = ({ inputs, backend, attrs }) => {
  const { logProbs, targets } = inputs;
  const { inputLengths, targetLengths, blank, zeroInfinity, workspace } = attrs;
  const [T = 0, N = 0, C = 0] = logProbs.shape;
  if (T === 0 || N === 0) return withoutFrames(backend, T, N, C, targetLengths, zeroInfinity, workspace);
  const be = backend as unknown as Backend;
  const Wmax = 2 * Math.max(0, ...targetLengths) + 1;
  const rows = workspace ? T : 2;
  const offsets = labelOffsets(targetLengths, targets.shape.length === 2 ? (targets.shape[1] ?? 0) : 0);
  const seqs = new Int32Array(3 * N + 2);
  for (let n = 0; n < N; n++) {
    seqs[3 * n] = inputLengths[n] ?? 0;
    seqs[3 * n + 1] = targetLengths[n] ?? 0;
    seqs[3 * n + 2] = offsets[n] ?? 0;
  }
  seqs[3 * N] = INFINITY_BITS;
  seqs[3 * N + 1] = NAN_BITS;

  const logProbsBuffer = gpu.bufferOf(be, logProbs);
  const targetsBuffer = labelsBuffer(be, targets);
  const seqsBuffer = gpu.hostStorage(be, seqs);
  const losses = gpu.allocate(be, [N]);
  // The alpha (then q) table, two beta rows and log p per sequence (ctc_loss_shaders.ts).
  const scratch = gpu.allocate(be, [N * (rows + 2) * Wmax + N]);
  const recursionGrid = grid(N);
  const occupancyGrid = grid(Math.ceil((T * N) / OCCUPANCY_WORKGROUP));
  const block = (groupsX: number) =>
    Int32Array.of(N, T, C, Wmax, blank, zeroInfinity ? 1 : 0, workspace ? 1 : 0, groupsX);
  const uniforms = gpu.stepUniforms(be, [block(recursionGrid.x), block(occupancyGrid.x)]);

  const recursion = gpu.stepPipeline(be.device, 'rnnkit-ctc-recursion', RECURSION_SHADER, [
    'read',
    'read',
    'read',
    'read_write',
    'read_write',
  ]);
  const encoder = gpu.commandEncoder(be);
  const pass = encoder.beginComputePass();
  pass.setPipeline(recursion.pipeline);
  pass.setBindGroup(
    0,
    bindGroup(be, recursion.layout, uniforms.buffer, [
      logProbsBuffer,
      targetsBuffer,
      seqsBuffer,
      losses.buffer,
      scratch.buffer,
    ]),
    [0],
  );
  pass.dispatchWorkgroups(recursionGrid.x, recursionGrid.y);
  const outputs = [losses.info];
  if (workspace) {
    const gradient = gpu.allocate(be, [T, N, C]);
    const occupancy = gpu.stepPipeline(be.device, 'rnnkit-ctc-occupancy', OCCUPANCY_SHADER, [
      'read',
      'read',
      'read',
      'read_write',
    ]);
    pass.setPipeline(occupancy.pipeline);
    pass.setBindGroup(
      0,
      bindGroup(be, occupancy.layout, uniforms.buffer, [
        targetsBuffer,
        seqsBuffer,
        scratch.buffer,
        gradient.buffer,
      ]),
      [uniforms.stride],
    );
    pass.dispatchWorkgroups(occupancyGrid.x, occupancyGrid.y);
    outputs.push(gradient.info);
  }
  pass.end();
  be.disposeData(scratch.info.dataId); // released once the command buffer is submitted
  be.submitQueue();
  return outputs;
};

/** The WGSL kernels, for registerCtcKernels to list before the plain-JS ones. */
export const webgpuCtcKernelConfigs: readonly tf.KernelConfig[] = [
  kernelConfig(CTC_LOSS, 'webgpu', ctcLossWebGpu),
];

/** Workgroup size of the recursion, for tests that make W exceed it. */
export const CTC_RECURSION_WORKGROUP = RECURSION_WORKGROUP;
