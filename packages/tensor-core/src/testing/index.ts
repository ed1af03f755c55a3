// Test helpers for rnnkit packages (needs vitest): a per-backend describe and numeric assertions.
export { availableBackends, describeWithBackends } from './describe_with_backends.js';
export type { DescribeWithBackendsOptions } from './describe_with_backends.js';
export { expectArraysClose } from './expect_arrays_close.js';
export type { CloseOptions } from './expect_arrays_close.js';
export { countLeakedTensors, expectNoTensorLeak } from '../memory/expect_no_tensor_leak.js';
export { applyByteMutation, byteMutation, fuzzRuns, FuzzTally } from './byte_mutations.js';
export type { ByteMutation, FuzzOutcome } from './byte_mutations.js';
