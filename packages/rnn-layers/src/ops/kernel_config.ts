import type * as tf from '@tensorflow/tfjs-core';
import {
  runTypedKernel,
  typedKernelConfig,
  type OpInputs,
  type OpResult,
  type TypedKernelFunc as SignatureKernelFunc,
} from '@rnnkit/tensor-core/internal';

import type { RnnLayersKernels } from './kernel_names.js';

// tensor-core's typed kernels bound to rnn-layers' kernel names: a name fixes its inputs and attrs.

export type RnnLayersKernelName = keyof RnnLayersKernels;
export type KernelAttrs<N extends RnnLayersKernelName> = RnnLayersKernels[N]['attrs'];
export type TypedKernelFunc<N extends RnnLayersKernelName> = SignatureKernelFunc<RnnLayersKernels[N]>;

/** One backend's kernel for `kernelName`. */
export function kernelConfig<N extends RnnLayersKernelName>(
  kernelName: N,
  backendName: string,
  kernelFunc: TypedKernelFunc<N>,
): tf.KernelConfig {
  return typedKernelConfig(kernelName, backendName, kernelFunc);
}

/** tf.engine().runKernel with the inputs and attrs `kernelName` takes. */
export function runKernel<N extends RnnLayersKernelName>(
  kernelName: N,
  inputs: OpInputs<RnnLayersKernels[N]>,
  attrs: KernelAttrs<N>,
): OpResult<RnnLayersKernels[N]> {
  return runTypedKernel<RnnLayersKernels[N]>(kernelName, inputs, attrs);
}
