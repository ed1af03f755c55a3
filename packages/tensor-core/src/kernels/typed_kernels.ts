import * as tf from '@tensorflow/tfjs-core';

/** What a kernel takes and gives: its inputs (TensorInfos), its attrs, one output or several. */
export interface KernelSignature {
  inputs: object;
  attrs: object;
  outputs: 'one' | 'many';
}

/** A kernel function with its signature's inputs and attrs (tfjs-core types its kernels the same way). */
export type TypedKernelFunc<S extends KernelSignature> = (args: {
  inputs: S['inputs'];
  attrs: S['attrs'];
  /** The backend instance (tfjs types it as `{}`; each backend's kernels check what they need). */
  backend: object;
}) => tf.TensorInfo | tf.TensorInfo[];

/** One backend's kernel for `kernelName`, as tfjs-core's registry takes it. */
export function typedKernelConfig<S extends KernelSignature>(
  kernelName: string,
  backendName: string,
  kernelFunc: TypedKernelFunc<S>,
): tf.KernelConfig {
  // The one cast of a typed kernel layer: the registry stores untyped kernel functions.
  return { kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** The op side of a kernel's inputs: tensors where the kernel receives TensorInfos. */
export type OpInputs<S extends KernelSignature> = { [K in keyof S['inputs']]: tf.Tensor };
export type OpResult<S extends KernelSignature> = S['outputs'] extends 'one' ? tf.Tensor : tf.Tensor[];

/** tf.engine().runKernel with the inputs and attrs of the kernel's signature. */
export function runTypedKernel<S extends KernelSignature>(
  kernelName: string,
  inputs: OpInputs<S>,
  attrs: S['attrs'],
): OpResult<S> {
  return tf
    .engine()
    .runKernel(kernelName, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as OpResult<S>;
}

/** A package's kernels by name: name → signature. */
export type KernelSignatures<M> = { [N in keyof M]: KernelSignature };

/** `kernelConfig` and `runKernel` bound to a package's kernel map, so a name fixes its inputs and attrs. */
export function typedKernels<M extends KernelSignatures<M>>(): {
  kernelConfig<N extends keyof M & string>(
    kernelName: N,
    backendName: string,
    kernelFunc: TypedKernelFunc<M[N]>,
  ): tf.KernelConfig;
  runKernel<N extends keyof M & string>(
    kernelName: N,
    inputs: OpInputs<M[N]>,
    attrs: M[N]['attrs'],
  ): OpResult<M[N]>;
} {
  return {
    kernelConfig: (kernelName, backendName, kernelFunc) =>
      typedKernelConfig(kernelName, backendName, kernelFunc),
    runKernel: (kernelName, inputs, attrs) => runTypedKernel(kernelName, inputs, attrs),
  };
}
