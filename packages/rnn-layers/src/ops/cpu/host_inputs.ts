import type * as tf from '@tensorflow/tfjs-core';

/** A kernel's inputs as host arrays, by the same names (optional where the input is). */
export type HostInputs<I> = { [K in keyof I]: Float32Array };

/**
 * Every input of a kernel read to the host (KernelBackend.readSync: zero-copy on cpu, one copy on
 * wasm), float32, by name.
 */
export function readHostInputs<I extends Partial<Record<keyof I, tf.TensorInfo>>>(
  backend: object,
  inputs: I,
): HostInputs<I> {
  const host: Record<string, Float32Array> = {};
  for (const [name, info] of Object.entries(inputs)) {
    if (info === undefined) continue;
    const values = (backend as tf.KernelBackend).readSync((info as tf.TensorInfo).dataId);
    host[name] = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }
  return host as HostInputs<I>;
}
