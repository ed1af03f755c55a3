import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { ctcGreedyDecode } from './ctc_greedy_decode.js';
import { ctcPrefixBeamSearch } from './ctc_prefix_beam_search.js';

// The decoders run on the host. On every backend they take the model's output tensor, or its values
// read asynchronously; a tensor the backend cannot read synchronously gets an error saying what to pass.

describeWithBackends('CTC decoders on device tensors', () => {
  it('decode a model output tensor, or its values read with await data(), the same way', async () => {
    const logProbs = tf.tidy(() => tf.logSoftmax(tf.mul(tf.randomNormal([20, 2, 5], 0, 1, 'float32', 7), 3)));
    const host = { data: (await logProbs.data()) as Float32Array, shape: logProbs.shape };
    const expected = ctcPrefixBeamSearch(host, [20, 13], { beamSize: 8 });
    expect(ctcGreedyDecode(host, [20, 13])[0]?.labels.length).toBeGreaterThan(0);
    let direct: ReturnType<typeof ctcPrefixBeamSearch> | undefined;
    try {
      direct = ctcPrefixBeamSearch(logProbs, [20, 13], { beamSize: 8 });
    } catch (error) {
      // webgpu in Node cannot read device memory synchronously: the error names the argument and the fix.
      expect((error as Error).message).toMatch(
        /^ctcPrefixBeamSearch: logProbs cannot be read synchronously on the \w+ backend .*pass \{ data: await logProbs\.data\(\), shape: logProbs\.shape \} instead$/,
      );
    }
    if (direct) expect(direct).toEqual(expected);
    logProbs.dispose();
  });
});
