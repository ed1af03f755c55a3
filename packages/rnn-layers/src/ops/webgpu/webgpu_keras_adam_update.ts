import type * as tf from '@tensorflow/tfjs-core';

import type { WebGpuBackendInternals } from './webgpu_backend_access.js';
import {
  ELEMENTWISE_MAIN,
  ELEMENTWISE_PRELUDE,
  elementwiseBindings,
  runElementwise,
} from './webgpu_elementwise.js';

// KERAS_ADAM_UPDATE on webgpu: one dispatch for a variable's new value, m and v, where KerasAdam's
// composition runs eleven ops with five host scalars uploaded per step.

const SHADER = /* wgsl */ `${ELEMENTWISE_PRELUDE}
struct Params { count: u32, groupsX: u32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, alpha: f32, epsilon: f32 };
${elementwiseBindings(['value', 'gradient', 'm', 'v'], ['newValue', 'newM', 'newV'])}
${ELEMENTWISE_MAIN}
  let g = gradient[i];
  // KerasAdam's order: m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2); value -= m' alpha / (sqrt(v') + eps).
  let m1 = m[i] * params.beta1 + g * params.oneMinusBeta1;
  let v1 = v[i] * params.beta2 + (g * g) * params.oneMinusBeta2;
  newM[i] = m1;
  newV[i] = v1;
  newValue[i] = value[i] - (m1 * params.alpha) / (sqrt(v1) + params.epsilon);
}
`;

export const kerasAdamUpdateWebGpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { value, gradient, m, v } = inputs as Record<string, tf.TensorInfo>;
  const shape = [...value!.shape];
  const [beta1, beta2] = [Number(attrs!['beta1']), Number(attrs!['beta2'])];
  return runElementwise(backend as unknown as WebGpuBackendInternals, {
    key: 'rnnkit-keras-adam-update',
    code: SHADER,
    inputs: [value!, gradient!, m!, v!],
    outputShapes: [shape, shape, shape],
    count: shape.reduce((a, b) => a * b, 1),
    params: [beta1, 1 - beta1, beta2, 1 - beta2, Number(attrs!['alpha']), Number(attrs!['epsilon'])],
  });
};
