import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { countLeakedTensors, expectNoTensorLeak } from './expect_no_tensor_leak.js';
import { TensorLeakError } from './tensor_leak_error.js';

describe('expectNoTensorLeak', () => {
  it('catches a leak in a synchronous function', () => {
    let kept: tf.Tensor | undefined;
    expect(() =>
      expectNoTensorLeak(() => {
        kept = tf.add(tf.scalar(1), tf.scalar(2)); // leaks both inputs and the sum
      }, 'leaky step'),
    ).toThrow(new TensorLeakError(3, 'leaky step'));
    expect(() => expectNoTensorLeak(() => void tf.scalar(1))).toThrow(/function leaked 1 tensor \(/);
    tf.dispose(kept);
  });

  it('catches a leak in an async function', async () => {
    await expect(
      expectNoTensorLeak(async () => {
        await Promise.resolve();
        tf.ones([2, 2]);
      }),
    ).rejects.toThrow(TensorLeakError);
  });

  it('does not count returned tensors or tidied intermediates as leaks', async () => {
    const before = tf.memory().numTensors;
    expectNoTensorLeak(() => tf.tidy(() => tf.mul(tf.ones([3]), 2)));
    await expectNoTensorLeak(async () => [tf.zeros([1]), { a: tf.ones([2]) }]);
    expect(countLeakedTensors(() => tf.tidy(() => void tf.ones([4])))).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
