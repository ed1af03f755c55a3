import * as tf from '@tensorflow/tfjs-core';

import { TensorLeakError } from './tensor_leak_error.js';

type Returned = tf.TensorContainer | void;

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs `fn` and counts the tensors it left alive. Tensors it returns are counted as results, not
 * leaks: they are disposed before counting. Works for sync and async functions.
 */
export function countLeakedTensors(fn: () => Returned): number;
export function countLeakedTensors(fn: () => Promise<Returned>): Promise<number>;
export function countLeakedTensors(fn: () => Returned | Promise<Returned>): number | Promise<number> {
  const before = tf.memory().numTensors;
  const settle = (result: Returned) => {
    tf.dispose(result as tf.TensorContainer);
    return tf.memory().numTensors - before;
  };
  const result = fn();
  return isPromise<Returned>(result) ? result.then(settle) : settle(result);
}

/** Throws `TensorLeakError` if `fn` leaves tensors alive (see `countLeakedTensors`). */
export function expectNoTensorLeak(fn: () => Returned, label?: string): void;
export function expectNoTensorLeak(fn: () => Promise<Returned>, label?: string): Promise<void>;
export function expectNoTensorLeak(
  fn: () => Returned | Promise<Returned>,
  label = 'function',
): void | Promise<void> {
  const check = (leaked: number) => {
    if (leaked !== 0) throw new TensorLeakError(leaked, label);
  };
  const counted = countLeakedTensors(fn as () => Returned);
  return isPromise<number>(counted) ? counted.then(check) : check(counted);
}
