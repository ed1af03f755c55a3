import { typedKernels, type TypedKernelFunc as SignatureKernelFunc } from '@rnnkit/tensor-core/internal';

import type { RnnLayersKernels } from './kernel_names.js';

// tensor-core's typed kernels bound to rnn-layers' kernel names: a name fixes its inputs and attrs.

export type RnnLayersKernelName = keyof RnnLayersKernels;
export type TypedKernelFunc<N extends RnnLayersKernelName> = SignatureKernelFunc<RnnLayersKernels[N]>;
export const { kernelConfig, runKernel } = typedKernels<RnnLayersKernels>();
