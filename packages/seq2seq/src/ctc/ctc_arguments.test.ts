import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import type { CtcLossOptions } from './ctc_arguments.js';
import { ctcLoss } from './ctc_loss.js';
import { ctcLossReference } from './ctc_loss_reference.js';

// Bad arguments: every error names the argument, what was expected and what was received, and leaves
// no tensor behind.

const T = 6;
const N = 3;
const C = 5;

function withInputs(
  fn: (inputs: { logProbs: tf.Tensor; targets: tf.Tensor; targets1d: tf.Tensor }) => void,
): void {
  const logProbs = tf.logSoftmax(tf.zeros([T, N, C]));
  const targets = tf.tensor2d([1, 2, 0, 3, 3, 4, 2, 0, 0], [N, 3], 'int32');
  const targets1d = tf.tensor1d([1, 2, 3, 3, 4, 2], 'int32');
  try {
    fn({ logProbs, targets, targets1d });
  } finally {
    tf.dispose([logProbs, targets, targets1d]);
  }
}

const lengths = { input: [6, 5, 6], target: [2, 3, 1] };

describe('ctcLoss arguments', () => {
  it('accepts the valid baseline, padded and concatenated', () => {
    withInputs(({ logProbs, targets, targets1d }) => {
      tf.dispose(ctcLoss(logProbs, targets, lengths.input, lengths.target));
      tf.dispose(ctcLoss(logProbs, targets1d, Int32Array.from(lengths.input), lengths.target));
    });
  });

  const cases: Array<
    [string, RegExp, (i: { logProbs: tf.Tensor; targets: tf.Tensor; targets1d: tf.Tensor }) => unknown]
  > = [
    [
      'targetLengths beyond targets.shape[1]',
      /^ctcLoss: targetLengths\[1\] = 4 exceeds targets\.shape\[1\] = 3$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, lengths.input, [2, 4, 1]),
    ],
    [
      'inputLengths beyond T',
      /^ctcLoss: inputLengths\[2\] = 7 exceeds T = logProbs\.shape\[0\] = 6$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, [6, 5, 7], lengths.target),
    ],
    [
      'a negative length',
      /^ctcLoss: targetLengths\[0\] = -1 must be a non-negative integer$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, lengths.input, [-1, 3, 1]),
    ],
    [
      'a fractional length',
      /^ctcLoss: inputLengths\[1\] = 2\.5 must be a non-negative integer$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, [6, 2.5, 6], lengths.target),
    ],
    [
      'lengths for another batch size',
      /^ctcLoss: inputLengths has 2 entries, expected one per sequence: N = logProbs\.shape\[1\] = 3$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, [6, 5], lengths.target),
    ],
    [
      'targets for another batch size',
      /^ctcLoss: targets\.shape\[0\] = 2 does not match the batch size N = logProbs\.shape\[1\] = 3$/,
      ({ logProbs }) =>
        tf.tidy(() => ctcLoss(logProbs, tf.zeros([2, 3], 'int32'), lengths.input, lengths.target)),
    ],
    [
      'a target holding the blank',
      /^ctcLoss: targets\[1\]\[2\] = 4 is the blank \(blank = 4\); targets may not contain it$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, lengths.input, lengths.target, { blank: 4 }),
    ],
    [
      'a concatenated target holding the blank',
      /^ctcLoss: targets\[4\] \(sequence 1, label 2\) = 4 is the blank \(blank = 4\)/,
      ({ logProbs, targets1d }) => ctcLoss(logProbs, targets1d, lengths.input, lengths.target, { blank: 4 }),
    ],
    [
      'a label >= C',
      /^ctcLoss: targets\[0\]\[1\] = 7 is not a class id in \[0, C\) = \[0, 5\)$/,
      ({ logProbs }) =>
        tf.tidy(() =>
          ctcLoss(
            logProbs,
            tf.tensor2d([1, 7, 0, 3, 3, 4, 2, 0, 0], [N, 3], 'int32'),
            lengths.input,
            lengths.target,
          ),
        ),
    ],
    [
      'a negative label',
      /^ctcLoss: targets\[2\]\[0\] = -1 is not a class id in \[0, C\) = \[0, 5\)$/,
      ({ logProbs }) =>
        tf.tidy(() =>
          ctcLoss(
            logProbs,
            tf.tensor2d([1, 2, 0, 3, 3, 4, -1, 0, 0], [N, 3], 'int32'),
            lengths.input,
            lengths.target,
          ),
        ),
    ],
    [
      'concatenated targets of another total length',
      /^ctcLoss: targetLengths sum to 5, but the 1-D \(concatenated\) targets hold 6 labels$/,
      ({ logProbs, targets1d }) => ctcLoss(logProbs, targets1d, lengths.input, [2, 2, 1]),
    ],
    [
      'float32 targets',
      /^ctcLoss: targets must be int32, got float32$/,
      ({ logProbs }) => tf.tidy(() => ctcLoss(logProbs, tf.zeros([N, 3]), lengths.input, lengths.target)),
    ],
    [
      '3-D targets',
      /^ctcLoss: targets must be \[N, S\] or 1-D \(concatenated\), got shape \[3, 3, 1\]$/,
      ({ logProbs }) =>
        tf.tidy(() => ctcLoss(logProbs, tf.zeros([N, 3, 1], 'int32'), lengths.input, lengths.target)),
    ],
    [
      'targets that are not a tensor',
      /^ctcLoss: targets must be an int32 tf\.Tensor, \[N, S\] or 1-D concatenated, got \[\[1, 2\]/,
      ({ logProbs }) => ctcLoss(logProbs, [[1, 2]] as unknown as tf.Tensor, lengths.input, lengths.target),
    ],
    [
      'logProbs of rank 2',
      /^ctcLoss: logProbs must be 3-D \[T, N, C\], got shape \[6, 5\]$/,
      ({ targets }) => tf.tidy(() => ctcLoss(tf.zeros([T, C]), targets, lengths.input, lengths.target)),
    ],
    [
      'int32 logProbs',
      /^ctcLoss: logProbs must be float32, got int32$/,
      ({ targets }) =>
        tf.tidy(() => ctcLoss(tf.zeros([T, N, C], 'int32'), targets, lengths.input, lengths.target)),
    ],
    [
      'a blank outside [0, C)',
      /^ctcLoss: blank must be an integer in \[0, C\) = \[0, 5\) \(C = logProbs\.shape\[2\]\), got 5$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, lengths.input, lengths.target, { blank: 5 }),
    ],
    [
      'an unknown reduction',
      /^ctcLoss: reduction must be 'mean', 'sum' or 'none', got "avg"$/,
      ({ logProbs, targets }) =>
        ctcLoss(logProbs, targets, lengths.input, lengths.target, {
          reduction: 'avg',
        } as unknown as CtcLossOptions),
    ],
    [
      'a zeroInfinity that is not a boolean',
      /^ctcLoss: zeroInfinity must be true or false, got 1$/,
      ({ logProbs, targets }) =>
        ctcLoss(logProbs, targets, lengths.input, lengths.target, {
          zeroInfinity: 1,
        } as unknown as CtcLossOptions),
    ],
    [
      "PyTorch's option name",
      /^ctcLoss: unknown option "zero_infinity" — did you mean "zeroInfinity"\?$/,
      ({ logProbs, targets }) =>
        ctcLoss(logProbs, targets, lengths.input, lengths.target, {
          zero_infinity: true,
        } as unknown as CtcLossOptions),
    ],
    [
      'float32 tensor lengths',
      /^ctcLoss: inputLengths must be a 1-D int32 tensor \[N\], got a 1-D float32 tensor of shape \[3\]$/,
      ({ logProbs, targets }) =>
        tf.tidy(() => ctcLoss(logProbs, targets, tf.tensor1d(lengths.input) as tf.Tensor1D, lengths.target)),
    ],
    [
      'lengths of the wrong type',
      /^ctcLoss: targetLengths must be a number\[\], an Int32Array or a 1-D int32 tensor, got "2,3,1"$/,
      ({ logProbs, targets }) => ctcLoss(logProbs, targets, lengths.input, '2,3,1' as unknown as number[]),
    ],
  ];

  for (const [what, message, call] of cases) {
    it(`rejects ${what}`, () => {
      withInputs((inputs) => {
        const before = tf.memory().numTensors;
        expect(() => call(inputs)).toThrow(message);
        expect(tf.memory().numTensors).toBe(before);
      });
    });
  }

  it('the reference checks the same way, under its own name', () => {
    withInputs(({ logProbs, targets }) => {
      expect(() => ctcLossReference(logProbs, targets, lengths.input, [2, 4, 1])).toThrow(
        /^ctcLossReference: targetLengths\[1\] = 4 exceeds targets\.shape\[1\] = 3$/,
      );
    });
  });
});
