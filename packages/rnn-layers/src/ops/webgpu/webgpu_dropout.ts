import type { TypedKernelFunc } from '../kernel_config.js';
import type { DROPOUT } from '../kernel_names.js';
import { dropThreshold, keepScale, PCG_HASH_WGSL } from '../dropout_hash.js';
import type { WebGpuBackendInternals } from './webgpu_backend_access.js';
import {
  ELEMENTWISE_MAIN,
  ELEMENTWISE_PRELUDE,
  elementwiseBindings,
  runElementwise,
} from './webgpu_elementwise.js';

// DROPOUT on webgpu: the mask drawn in the kernel from its key (dropout_hash.ts), so nothing the size
// of the tensor is uploaded or kept; the gradient is the same kernel on dy.

const CODE = /* wgsl */ `${ELEMENTWISE_PRELUDE}
${PCG_HASH_WGSL}
struct Params { count: u32, groupsX: u32, base: u32, threshold: u32, scale: f32 };
${elementwiseBindings(['x'], ['y'])}
${ELEMENTWISE_MAIN}
  let kept = (pcgHash(params.base + i) >> 8u) >= params.threshold;
  y[i] = select(0.0, x[i] * params.scale, kept);
}
`;

export const dropoutWebGpu: TypedKernelFunc<typeof DROPOUT> = ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  const rate = attrs.rate;
  const size = x!.shape.reduce((a, b) => a * b, 1);
  return runElementwise(backend as unknown as WebGpuBackendInternals, {
    key: 'rnnkit-dropout',
    code: CODE,
    inputs: [x],
    outputShapes: [[...x!.shape]],
    count: size,
    params: [{ u32: attrs.base }, { u32: dropThreshold(rate) }, keepScale(rate)],
  })[0]!;
};
