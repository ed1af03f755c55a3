import type { TypedKernelFunc } from '../kernel_config.js';
import type { RMSPROP_UPDATE } from '../kernel_names.js';
import {
  ELEMENTWISE_MAIN,
  ELEMENTWISE_PRELUDE,
  elementwiseBindings,
  runVariableUpdate,
} from './webgpu_elementwise.js';

// RMSPROP_UPDATE on webgpu: one dispatch for a variable's three new tensors, where tfjs-core's
// RMSPropOptimizer runs eleven ops with five hyperparameters uploaded as scalar tensors per step.

const SHADER = /* wgsl */ `${ELEMENTWISE_PRELUDE}
struct Params { count: u32, groupsX: u32, learningRate: f32, decay: f32, oneMinusDecay: f32, momentum: f32, epsilon: f32 };
${elementwiseBindings(['value', 'gradient', 'meanSquare', 'moment'], ['newValue', 'newMeanSquare', 'newMoment'])}
${ELEMENTWISE_MAIN}
  let g = gradient[i];
  // tfjs-core's order: ms' = ms * decay + g^2 * (1 - decay); m' = m * momentum + g * lr / sqrt(ms' + eps).
  let ms = meanSquare[i] * params.decay + (g * g) * params.oneMinusDecay;
  let m = moment[i] * params.momentum + (g * params.learningRate) / sqrt(ms + params.epsilon);
  newMeanSquare[i] = ms;
  newMoment[i] = m;
  newValue[i] = value[i] - m;
}
`;

export const rmspropUpdateWebGpu: TypedKernelFunc<typeof RMSPROP_UPDATE> = ({ inputs, backend, attrs }) => {
  const { value, gradient, meanSquare, moment } = inputs;
  const decay = attrs.decay;
  return runVariableUpdate(
    backend,
    'rnnkit-rmsprop-update',
    SHADER,
    [value, gradient, meanSquare, moment],
    [attrs.learningRate, decay, 1 - decay, attrs.momentum, attrs.epsilon],
  );
};
