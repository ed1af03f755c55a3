import { typedKernels, type TypedKernelFunc as SignatureKernelFunc } from '@rnnkit/tensor-core/internal';

import type { CtcKernels } from './kernel_names.js';

// tensor-core's typed kernels bound to the CTC kernel names: a name fixes its inputs and attrs.

export type CtcKernelName = keyof CtcKernels;
export type CtcKernelAttrs<N extends CtcKernelName> = CtcKernels[N]['attrs'];
export type TypedKernelFunc<N extends CtcKernelName> = SignatureKernelFunc<CtcKernels[N]>;
export const { kernelConfig, runKernel } = typedKernels<CtcKernels>();
