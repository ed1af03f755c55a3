import type * as tf from '@tensorflow/tfjs-core';

// Identity on the wasm heap without a copy: the output shares the input's data (reference-counted,
// as tfjs-backend-wasm's own Reshape does and tfjs-backend-cpu's and -webgl's Identity do), where
// tfjs-backend-wasm 4.22 copies it. tfjs-core clones every tensor a gradient saves through Identity,
// so on wasm a training step copied all of its saved activations: for an LSTM step (batch 32, time
// 100, hidden 128) ~10 MB and ~1.6 ms of ~50, for the Keras seed model's batch ~3.6 ms of ~50.
// Sharing is safe because a tensor's data never changes after it is written. Strings keep the copy.

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function sharingIdentity(copying: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return copying(args);
    (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
