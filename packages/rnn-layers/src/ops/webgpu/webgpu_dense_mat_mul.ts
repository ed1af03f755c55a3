import * as tf from '@tensorflow/tfjs-core';

import type { TypedKernelFunc } from '../kernel_config.js';
import type { DENSE_LINEAR, DENSE_MAT_MUL, DenseMatMulAttrs } from '../kernel_names.js';
import type { WebGpuBackendInternals } from './webgpu_backend_access.js';
import {
  ELEMENTWISE_MAIN,
  ELEMENTWISE_PRELUDE,
  elementwiseBindings,
  runElementwise,
} from './webgpu_elementwise.js';

// DENSE_MAT_MUL / DENSE_LINEAR on webgpu: tfjs's own matmul, except for the products around the
// recurrences whose reduction runs over every time step and batch row (T*B, e.g. 12,800) while the
// output is small: the weight gradients (gates*H x H, gates*H x input) and the bias gradients
// (ones [1, T*B] x dG). tfjs-backend-webgpu parallelises a matmul over its output only, so such a
// product becomes a few workgroups each looping over the whole reduction. Splitting the reduction into
// chunks, multiplying them as one batched matmul and summing the partial products keeps the GPU busy
// (split-K). Measured on an H100 (tools/bench/RESULTS.md): a full LSTM training step at batch 64,
// time 200, hidden 512 took 107 ms with this kernel and 185 ms without. The partial products are
// capped at 64 MiB (and the device's binding limit): 64 chunks of dW_hh there took 256 MiB, over the
// 128 MiB a WebGPU device may bind (Mesa lavapipe's limit, and WebGPU's default).

type Info = tf.TensorInfo;

const MIN_SPLIT_DEPTH = 2048;
const CHUNKS = [64, 32, 16, 8];
const PARTIALS_BUDGET_BYTES = 64 * 2 ** 20;

function run(
  name: string,
  inputs: Record<string, Info>,
  attrs: tf.NamedAttrMap,
  backend: tf.KernelBackend,
): Info {
  const kernel = tf.getKernel(name, 'webgpu');
  if (!kernel) throw new Error(`rnn-layers: tfjs-backend-webgpu has no ${name} kernel`);
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs }) as Info;
}

/** Chunk count for splitting a reduction of `depth`, or 0 to leave the product whole. */
export function chunksFor(depth: number, outputSize: number, maxBindingBytes: number): number {
  if (depth < MIN_SPLIT_DEPTH) return 0;
  const budget = Math.min(PARTIALS_BUDGET_BYTES, maxBindingBytes);
  return CHUNKS.find((c) => depth % c === 0 && depth / c >= 128 && c * outputSize * 4 <= budget) ?? 0;
}

/** out[i] = sum over c of partials[c][i] (+ bias[i % n]): one pass, where tf.sum over axis 0 transposes first. */
function sumCode(withBias: boolean): string {
  return /* wgsl */ `${ELEMENTWISE_PRELUDE}
struct Params { count: u32, groupsX: u32, chunks: u32, n: u32 };
${elementwiseBindings(withBias ? ['partials', 'bias'] : ['partials'], ['out'])}
${ELEMENTWISE_MAIN}
  var sum = 0.0;
  for (var c = 0u; c < params.chunks; c = c + 1u) { sum = sum + partials[c * params.count + i]; }
  out[i] = sum${withBias ? ' + bias[i % params.n]' : ''};
}
`;
}

function sumPartials(
  backend: tf.KernelBackend,
  partials: Info,
  bias: Info | undefined,
  shape: [number, number],
): Info {
  const [chunks] = partials.shape as [number];
  const withBias = bias !== undefined;
  return runElementwise(backend as unknown as WebGpuBackendInternals, {
    key: `rnnkit-sum-partials${withBias ? '-bias' : ''}`,
    code: sumCode(withBias),
    inputs: withBias ? [partials, bias] : [partials],
    outputShapes: [shape],
    count: shape[0] * shape[1],
    params: [{ u32: chunks }, { u32: shape[1] }],
  })[0]!;
}

function denseMatMulWebGpu(
  inputs: { a: Info; b: Info; bias?: Info },
  backend: tf.KernelBackend,
  attrs: DenseMatMulAttrs,
): Info {
  const { a, b, bias } = inputs;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const [m, depth] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  // Chunks of the reduction are contiguous when it is the leading axis (or the other axis is 1).
  const contiguous = (transposeA || m === 1) && (!transposeB || n === 1);
  const maxBinding = (backend as unknown as WebGpuBackendInternals).device.limits.maxStorageBufferBindingSize;
  const chunks = contiguous ? chunksFor(depth, m * n, maxBinding) : 0;
  if (chunks === 0) {
    return bias
      ? run(tf._FusedMatMul, { a, b, bias }, { transposeA, transposeB, activation: 'linear' }, backend)
      : run(tf.BatchMatMul, { a, b }, { transposeA, transposeB }, backend);
  }
  const part = depth / chunks;
  const a3 = run(
    tf.Reshape,
    { x: a },
    { shape: transposeA ? [chunks, part, m] : [chunks, 1, part] },
    backend,
  );
  const b3 = run(
    tf.Reshape,
    { x: b },
    { shape: transposeB ? [chunks, 1, part] : [chunks, part, n] },
    backend,
  );
  const partials = run(tf.BatchMatMul, { a: a3, b: b3 }, { transposeA, transposeB }, backend);
  try {
    return sumPartials(backend, partials, bias, [m, n]);
  } finally {
    for (const t of [a3, b3, partials]) backend.disposeData(t.dataId);
  }
}

export const denseMatMulKernelWebGpu: TypedKernelFunc<typeof DENSE_MAT_MUL | typeof DENSE_LINEAR> = ({
  inputs,
  backend,
  attrs,
}) => denseMatMulWebGpu(inputs, backend as tf.KernelBackend, attrs);
