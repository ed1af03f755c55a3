// Test helpers for rnnkit packages (needs vitest): a per-backend describe and numeric assertions.
export { availableBackends, describeWithBackends } from './describe_with_backends.js';
export type { DescribeWithBackendsOptions } from './describe_with_backends.js';
export { expectArraysClose } from './expect_arrays_close.js';
export type { CloseOptions } from './expect_arrays_close.js';
export { countLeakedTensors, expectNoTensorLeak } from '../memory/expect_no_tensor_leak.js';
// Mutation fuzzing lives in '@rnnkit/tensor-core/testing/fuzz' (it needs fast-check).
export { itRejectsUnknownOptions } from './option_check_cases.js';
export type { OptionCheckCase } from './option_check_cases.js';
