import type * as tf from '@tensorflow/tfjs-core';

import type { TypedKernelFunc } from '../kernel_config.js';
import type { BINARY_CROSSENTROPY, BINARY_CROSSENTROPY_GRAD } from '../kernel_names.js';
import type { WebGpuBackendInternals } from './webgpu_backend_access.js';
import {
  ELEMENTWISE_MAIN,
  ELEMENTWISE_PRELUDE,
  elementwiseBindings,
  runElementwise,
} from './webgpu_elementwise.js';

// BINARY_CROSSENTROPY(_GRAD) on webgpu: Keras's clipped binary cross-entropy and its gradient as one
// dispatch each, where the composition of tfjs-core ops takes a dozen forward and two dozen backward,
// with the clip bounds and the ones uploaded as scalar tensors at every step.

const PARAMS = /* wgsl */ `${ELEMENTWISE_PRELUDE}
struct Params { count: u32, groupsX: u32, epsilon: f32, width: u32 };`;

/** One thread per row i: loss = -mean_j(y log p + (1 - y) log(1 - p)), p clipped to [eps, 1 - eps]. */
const FORWARD = /* wgsl */ `${PARAMS}
${elementwiseBindings(['yTrue', 'yPred'], ['loss'])}
${ELEMENTWISE_MAIN}
  var sum = 0.0;
  for (var j = 0u; j < params.width; j = j + 1u) {
    let k = i * params.width + j;
    let p = clamp(yPred[k], params.epsilon, 1.0 - params.epsilon);
    let y = yTrue[k];
    sum = sum + (y * log(p) + (1.0 - y) * log(1.0 - p));
  }
  loss[i] = -(sum / f32(params.width));
}
`;

/** One thread per element: dp = -dy / n * (y / p - (1 - y) / (1 - p)) inside the clip, 0 outside (as clipByValue's gradient). */
const BACKWARD = /* wgsl */ `${PARAMS}
${elementwiseBindings(['yTrue', 'yPred', 'dy'], ['dPred'])}
${ELEMENTWISE_MAIN}
  let raw = yPred[i];
  if (raw < params.epsilon || raw > 1.0 - params.epsilon) { dPred[i] = 0.0; return; }
  let y = yTrue[i];
  dPred[i] = -(dy[i / params.width] / f32(params.width)) * (y / raw - (1.0 - y) / (1.0 - raw));
}
`;

function widthOf(yPred: tf.TensorInfo): { width: number; size: number } {
  const width = yPred.shape.length === 0 ? 1 : yPred.shape[yPred.shape.length - 1]!;
  return { width, size: yPred.shape.reduce((a, b) => a * b, 1) };
}

export const binaryCrossentropyWebGpu: TypedKernelFunc<typeof BINARY_CROSSENTROPY> = ({
  inputs,
  backend,
  attrs,
}) => {
  const { yTrue, yPred } = inputs;
  const { width, size } = widthOf(yPred!);
  return runElementwise(backend as unknown as WebGpuBackendInternals, {
    key: 'rnnkit-binary-crossentropy',
    code: FORWARD,
    inputs: [yTrue, yPred],
    outputShapes: [yPred!.shape.slice(0, -1)],
    count: size / width,
    params: [attrs.epsilon, { u32: width }],
  })[0]!;
};

export const binaryCrossentropyGradWebGpu: TypedKernelFunc<typeof BINARY_CROSSENTROPY_GRAD> = ({
  inputs,
  backend,
  attrs,
}) => {
  const { yTrue, yPred, dy } = inputs;
  const { width, size } = widthOf(yPred!);
  return runElementwise(backend as unknown as WebGpuBackendInternals, {
    key: 'rnnkit-binary-crossentropy-grad',
    code: BACKWARD,
    inputs: [yTrue, yPred, dy],
    outputShapes: [[...yPred!.shape]],
    count: size,
    params: [attrs.epsilon, { u32: width }],
  })[0]!;
};
