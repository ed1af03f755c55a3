import type { TypedKernelFunc } from '../kernel_config.js';
import type { KERAS_ADAM_UPDATE } from '../kernel_names.js';
import {
  ELEMENTWISE_MAIN,
  ELEMENTWISE_PRELUDE,
  elementwiseBindings,
  runVariableUpdate,
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

export const kerasAdamUpdateWebGpu: TypedKernelFunc<typeof KERAS_ADAM_UPDATE> = ({
  inputs,
  backend,
  attrs,
}) => {
  const { value, gradient, m, v } = inputs;
  const [beta1, beta2] = [attrs.beta1, attrs.beta2];
  return runVariableUpdate(
    backend,
    'rnnkit-keras-adam-update',
    SHADER,
    [value, gradient, m, v],
    [beta1, 1 - beta1, beta2, 1 - beta2, attrs.alpha, attrs.epsilon],
  );
};
