import type * as tf from '@tensorflow/tfjs-core';

import {
  CTC_LOSS,
  CTC_LOSS_GRAD,
  ctcLossAttrs,
  type CtcLossGradInputs,
  type CtcLossInputs,
} from '../kernel_names.js';
import {
  ctcLogProbsGradient,
  ctcLossAndGradient,
  ctcNegLogLikelihood,
  labelOffsets,
  type CtcHostBatch,
} from './ctc_loss_js.js';

// The plain-JS CTC kernels. They only use KernelBackend.readSync/write, so they serve every backend
// whose data the host can read synchronously: cpu (no copy) and wasm (one copy in and out).

/**
 * Gradients computed by a forward pass that was told one may follow (attrs.workspace), per call, each
 * sequence's own (dy = 1). The gradient kernel takes its entry and scales it: one pass over alpha per
 * training step instead of two. An entry nobody takes goes with its attrs (the tape's), weakly held.
 */
const pendingGradients = new WeakMap<object, Float32Array>();

function backendOf(backend: unknown): tf.KernelBackend {
  return backend as tf.KernelBackend;
}

function readFloat32(backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array {
  const values = backend.readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function readInt32(backend: tf.KernelBackend, t: tf.TensorInfo): Int32Array {
  const values = backend.readSync(t.dataId);
  return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
}

function hostBatch(backend: tf.KernelBackend, inputs: CtcLossInputs, attrs: tf.NamedAttrMap): CtcHostBatch {
  const { logProbs, targets } = inputs;
  const { inputLengths, targetLengths, blank, zeroInfinity } = ctcLossAttrs(attrs);
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

const ctcLossJs: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backendOf(backend);
  const batch = hostBatch(b, inputs as CtcLossInputs, attrs ?? {});
  const { workspace } = ctcLossAttrs(attrs);
  if (workspace === undefined) return write(b, ctcNegLogLikelihood(batch), [batch.N]);
  const { nll, gradient } = ctcLossAndGradient(batch);
  pendingGradients.set(workspace, gradient);
  return write(b, nll, [batch.N]);
};

const ctcLossGradJs: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backendOf(backend);
  const { dy, ...forward } = inputs as CtcLossGradInputs;
  const [T = 0, N = 0, C = 0] = forward.logProbs.shape;
  const scales = readFloat32(b, dy);
  const { workspace } = ctcLossAttrs(attrs);
  const pending = workspace === undefined ? undefined : pendingGradients.get(workspace);
  if (pending === undefined || pending.length !== T * N * C) {
    const batch = hostBatch(b, forward, attrs ?? {});
    return write(b, ctcLogProbsGradient(batch, scales), [T, N, C]);
  }
  pendingGradients.delete(workspace as object); // taken: scaled in place below
  for (let t = 0, i = 0; t < T; t++)
    for (let n = 0; n < N; n++) {
      const scale = scales[n] ?? 0;
      for (let c = 0; c < C; c++, i++) pending[i] = (pending[i] ?? 0) * scale;
    }
  return write(b, pending, [T, N, C]);
};

/** CTC_LOSS on cpu. */
export const ctcLossCpuConfig: tf.KernelConfig = {
  kernelName: CTC_LOSS,
  backendName: 'cpu',
  kernelFunc: ctcLossJs,
};
/** CTC_LOSS on wasm, until a SIMD kernel replaces it. */
export const ctcLossWasmConfig: tf.KernelConfig = {
  kernelName: CTC_LOSS,
  backendName: 'wasm',
  kernelFunc: ctcLossJs,
};
/** CTC_LOSS_GRAD on cpu. */
export const ctcLossGradCpuConfig: tf.KernelConfig = {
  kernelName: CTC_LOSS_GRAD,
  backendName: 'cpu',
  kernelFunc: ctcLossGradJs,
};
/** CTC_LOSS_GRAD on wasm, until a SIMD kernel replaces it. */
export const ctcLossGradWasmConfig: tf.KernelConfig = {
  kernelName: CTC_LOSS_GRAD,
  backendName: 'wasm',
  kernelFunc: ctcLossGradJs,
};

/** The plain-JS configs, for registerCtcKernels to list after any more specialised ones. */
export const jsCtcKernelConfigs: readonly tf.KernelConfig[] = [
  ctcLossCpuConfig,
  ctcLossWasmConfig,
  ctcLossGradCpuConfig,
  ctcLossGradWasmConfig,
];
