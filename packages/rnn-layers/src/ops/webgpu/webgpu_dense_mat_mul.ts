import * as tf from '@tensorflow/tfjs-core';

// DENSE_MAT_MUL / DENSE_LINEAR on webgpu: tfjs's own matmul, except for the products around the
// recurrences whose reduction runs over every time step and batch row (T*B, e.g. 12,800) while the
// output is small: the weight gradients (gates*H x H, gates*H x input) and the bias gradients
// (ones [1, T*B] x dG). tfjs-backend-webgpu parallelises a matmul over its output only, so such a
// product becomes a few workgroups each looping over the whole reduction. Splitting the reduction into
// chunks, multiplying them as one batched matmul and summing the partial products keeps the GPU busy
// (split-K). Measured on an H100 (tools/bench/RESULTS.md): a full LSTM training step at batch 64,
// time 200, hidden 512 took 107 ms with this kernel and 185 ms without.

type Info = tf.TensorInfo;

const MIN_SPLIT_DEPTH = 2048;
const CHUNKS = [64, 32, 16, 8];

function run(name: string, inputs: Record<string, Info>, attrs: tf.NamedAttrMap, backend: tf.KernelBackend): Info {
  const kernel = tf.getKernel(name, 'webgpu');
  if (!kernel) throw new Error(`rnn-layers: tfjs-backend-webgpu has no ${name} kernel`);
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs }) as Info;
}

/** Chunk count for splitting a reduction of `depth`, or 0 to leave the product whole. */
function chunksFor(depth: number, outputSize: number): number {
  if (depth < MIN_SPLIT_DEPTH || outputSize > 1 << 22) return 0;
  return CHUNKS.find((c) => depth % c === 0 && depth / c >= 128) ?? 0;
}

function denseMatMulWebGpu(inputs: Record<string, Info>, backend: tf.KernelBackend, attrs: tf.NamedAttrMap): Info {
  const { a, b, bias } = inputs as { a: Info; b: Info; bias?: Info };
  const transposeA = Boolean(attrs['transposeA']);
  const transposeB = Boolean(attrs['transposeB']);
  const [m, depth] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  // Chunks of the reduction are contiguous when it is the leading axis (or the other axis is 1).
  const contiguous = (transposeA || m === 1) && (!transposeB || n === 1);
  const chunks = contiguous ? chunksFor(depth, m * n) : 0;
  if (chunks === 0) {
    return bias
      ? run(tf._FusedMatMul, { a, b, bias }, { transposeA, transposeB, activation: 'linear' }, backend)
      : run(tf.BatchMatMul, { a, b }, { transposeA, transposeB }, backend);
  }
  const part = depth / chunks;
  const a3 = run(tf.Reshape, { x: a }, { shape: transposeA ? [chunks, part, m] : [chunks, 1, part] }, backend);
  const b3 = run(tf.Reshape, { x: b }, { shape: transposeB ? [chunks, 1, part] : [chunks, part, n] }, backend);
  const partials = run(tf.BatchMatMul, { a: a3, b: b3 }, { transposeA, transposeB }, backend);
  const summed = run(tf.Sum, { x: partials }, { axis: [0], keepDims: false }, backend);
  const temporaries = [a3, b3, partials];
  let result = summed;
  if (bias) {
    result = run(tf.Add, { a: summed, b: bias }, {}, backend);
    temporaries.push(summed);
  }
  for (const t of temporaries) backend.disposeData(t.dataId);
  return result;
}

export const denseMatMulKernelWebGpu: tf.KernelFunc = ({ inputs, backend, attrs }) =>
  denseMatMulWebGpu(inputs as Record<string, Info>, backend as tf.KernelBackend, attrs ?? {});
