/// <reference types="@webgpu/types" />
import type * as tf from '@tensorflow/tfjs-core';

import {
  allocate,
  bufferOf,
  commandEncoder,
  stepPipeline,
  stepUniforms,
  type WebGpuBackendInternals,
} from './webgpu_backend_access.js';

// One dispatch of a small WGSL kernel over `count` threads, with any number of float32 outputs and
// its scalar parameters in a uniform block (not as tensors uploaded from the host, which is what
// tfjs-core's ops do with a number argument, at the price of a new staging buffer each time).
// A shader is ELEMENTWISE_PRELUDE, its `Params` struct (beginning `count: u32, groupsX: u32`),
// elementwiseBindings(inputs, outputs), then ELEMENTWISE_MAIN followed by the body for thread `i`.

const WORKGROUP = 256;
const MAX_GROUPS_X = 65535;

/** WGSL the kernels start from: the workgroup size and the flat thread index. */
export const ELEMENTWISE_PRELUDE = /* wgsl */ `
const WORKGROUP = ${WORKGROUP}u;
fn threadIndex(wg: vec3<u32>, lid: vec3<u32>, groupsX: u32) -> u32 { return (wg.y * groupsX + wg.x) * WORKGROUP + lid.x; }
`;

/** The uniform block, then float32 storage arrays: `inputs` read-only, `outputs` writable, in binding order. */
export function elementwiseBindings(inputs: string[], outputs: string[]): string {
  const storage = [
    ...inputs.map((n) => `var<storage, read> ${n}`),
    ...outputs.map((n) => `var<storage, read_write> ${n}`),
  ];
  return [
    '@group(0) @binding(0) var<uniform> params: Params;',
    ...storage.map((d, i) => `@group(0) @binding(${i + 1}) ${d}: array<f32>;`),
  ].join('\n');
}

/** The entry point up to the body: thread `i`, none past `params.count`. */
export const ELEMENTWISE_MAIN = /* wgsl */ `
@compute @workgroup_size(WORKGROUP, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = threadIndex(wg, lid, params.groupsX);
  if (i >= params.count) { return; }`;

export interface ElementwiseCall {
  /** Cache key of the pipeline. */
  key: string;
  /** Complete WGSL (ELEMENTWISE_PRELUDE included). */
  code: string;
  inputs: tf.TensorInfo[];
  outputShapes: number[][];
  /** Threads to run. */
  count: number;
  /** Uniform values after count and groupsX: numbers written as f32, or {u32} as unsigned ints. */
  params: Array<number | { u32: number }>;
}

export function runElementwise(be: WebGpuBackendInternals, call: ElementwiseCall): tf.TensorInfo[] {
  const outputs = call.outputShapes.map((shape) => allocate(be, shape));
  const groups = Math.max(1, Math.ceil(call.count / WORKGROUP));
  const groupsX = Math.min(groups, MAX_GROUPS_X);
  const block = new ArrayBuffer(Math.max(32, Math.ceil((2 + call.params.length) / 8) * 32));
  const words = new DataView(block);
  words.setUint32(0, call.count, true);
  words.setUint32(4, groupsX, true);
  call.params.forEach((p, i) =>
    typeof p === 'number' ? words.setFloat32(8 + 4 * i, p, true) : words.setUint32(8 + 4 * i, p.u32, true),
  );
  const access = [...call.inputs.map(() => 'read' as const), ...outputs.map(() => 'read_write' as const)];
  const { pipeline, layout } = stepPipeline(be.device, call.key, call.code, access);
  const uniforms = stepUniforms(be, [new Int32Array(block)]);
  const buffers = [...call.inputs.map((t) => bufferOf(be, t)), ...outputs.map((o) => o.buffer)];
  const bindGroup = be.device.createBindGroup({
    layout,
    entries: [
      { binding: 0, resource: { buffer: uniforms.buffer, size: block.byteLength } },
      ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
    ],
  });
  const pass = commandEncoder(be).beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup, [0]);
  pass.dispatchWorkgroups(groupsX, Math.ceil(groups / groupsX));
  pass.end();
  return outputs.map((o) => o.info);
}

/**
 * An optimizer's update kernel: the variable's new value and two new slot tensors (moments), each
 * shaped like the variable `inputs[0]`, one thread per element.
 */
export function runVariableUpdate(
  backend: object,
  key: string,
  code: string,
  inputs: tf.TensorInfo[],
  params: number[],
): tf.TensorInfo[] {
  const shape = [...inputs[0]!.shape];
  return runElementwise(backend as unknown as WebGpuBackendInternals, {
    key,
    code,
    inputs,
    outputShapes: [shape, shape, shape],
    count: shape.reduce((a, b) => a * b, 1),
    params,
  });
}
