import type * as tf from '@tensorflow/tfjs-core';

import { kernelConfig, type CtcKernelAttrs, type TypedKernelFunc } from '../kernel_config.js';
import { CTC_LOSS, CTC_SCALE_GRADIENT, type CtcLossInputs } from '../kernel_names.js';
import { ctcLossAndGradient, ctcNegLogLikelihood, labelOffsets, type CtcHostBatch } from './ctc_loss_js.js';

// The plain-JS CTC kernel. It only uses KernelBackend.readSync/write, so it serves every backend whose
// data the host can read synchronously: cpu (no copy) and wasm (one copy in and out).

function readFloat32(backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array {
  const values = backend.readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function readInt32(backend: tf.KernelBackend, t: tf.TensorInfo): Int32Array {
  const values = backend.readSync(t.dataId);
  return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
}

function hostBatch(
  backend: tf.KernelBackend,
  { logProbs, targets }: CtcLossInputs,
  { inputLengths, targetLengths, blank, zeroInfinity }: CtcKernelAttrs<typeof CTC_LOSS>,
): CtcHostBatch {
  const [T = 0, N = 0, C = 0] = logProbs.shape;
  return {
    logProbs: readFloat32(backend, logProbs),
    T,
    N,
    C,
    labels: readInt32(backend, targets),
    labelOffsets: labelOffsets(targetLengths, targets.shape.length === 2 ? (targets.shape[1] ?? 0) : 0),
    inputLengths,
    targetLengths,
    blank,
    zeroInfinity,
  };
}

function write(backend: tf.KernelBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

/** The losses; with attrs.workspace also each sequence's gradient, from the same pass over alpha. */
const ctcLossJs: TypedKernelFunc<typeof CTC_LOSS> = ({ inputs, backend, attrs }) => {
  const b = backend as tf.KernelBackend;
  const batch = hostBatch(b, inputs, attrs);
  if (!attrs.workspace) return [write(b, ctcNegLogLikelihood(batch), [batch.N])];
  const { nll, gradient } = ctcLossAndGradient(batch);
  return [write(b, nll, [batch.N]), write(b, gradient, [batch.T, batch.N, batch.C])];
};

/** Each sequence's gradient rows [t, n, :] times dy[n]. */
const ctcScaleGradientJs: TypedKernelFunc<typeof CTC_SCALE_GRADIENT> = ({ inputs, backend }) => {
  const b = backend as tf.KernelBackend;
  const [T = 0, N = 0, C = 0] = inputs.gradient.shape;
  const gradient = readFloat32(b, inputs.gradient);
  const dy = readFloat32(b, inputs.dy);
  const out = new Float32Array(T * N * C);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      const scale = dy[n]!;
      const row = (t * N + n) * C;
      for (let c = row; c < row + C; c++) out[c] = gradient[c]! * scale;
    }
  }
  return write(b, out, [T, N, C]);
};

/** CTC_LOSS on cpu. */
export const ctcLossCpuConfig = kernelConfig(CTC_LOSS, 'cpu', ctcLossJs);
/** CTC_LOSS on wasm, where no SIMD kernel is registered before it. */
export const ctcLossWasmConfig = kernelConfig(CTC_LOSS, 'wasm', ctcLossJs);

/** The plain-JS configs, for registerCtcKernels to list after any more specialised ones. */
export const jsCtcKernelConfigs: readonly tf.KernelConfig[] = [
  ctcLossCpuConfig,
  ctcLossWasmConfig,
  kernelConfig(CTC_SCALE_GRADIENT, 'cpu', ctcScaleGradientJs),
];
