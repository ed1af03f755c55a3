import * as tf from '@tensorflow/tfjs-core';
import { itRejectsUnknownOptions } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import type { LanguageModelScorer } from '../lm/language_model_scorer.js';
import { randomLogProbs } from './__fixtures__/decoder_inputs.js';
import type { CtcBeamSearchOptions } from './ctc_beam_search_options.js';
import { ctcGreedyDecode } from './ctc_greedy_decode.js';
import { ctcPrefixBeamSearch } from './ctc_prefix_beam_search.js';
import { CtcStreamingDecoder } from './ctc_streaming_decoder.js';

// Bad input: every error names the function, the argument, what was expected and what was received.

const [T, N, C] = [5, 3, 4];
const data = randomLogProbs(1, T, N, C);
const logProbs = { data, shape: [T, N, C] };
const lengths = [5, 4, 2];
const scorer: LanguageModelScorer<null> = {
  unit: 'char',
  start: () => null,
  score: () => ({ logProb: -1, state: null }),
  finish: () => 0,
};
const beam = (options: CtcBeamSearchOptions, l: unknown = lengths, lp: unknown = logProbs) =>
  ctcPrefixBeamSearch(lp as typeof logProbs, l as number[], options);

describe('decoder arguments', () => {
  const cases: Array<[string, RegExp, () => unknown]> = [
    [
      'beamSize: 0',
      /^ctcPrefixBeamSearch: beamSize must be a positive integer, got 0$/,
      () => beam({ beamSize: 0 }),
    ],
    [
      'topK: 1.5',
      /^ctcPrefixBeamSearch: topK must be a positive integer, got 1\.5$/,
      () => beam({ topK: 1.5 }),
    ],
    [
      'blank out of range',
      /^ctcPrefixBeamSearch: blank must be an integer in \[0, C\) = \[0, 4\) \(C = logProbs\.shape\[2\]\), got 4$/,
      () => beam({ blank: 4 }),
    ],
    [
      'a negative blank',
      /^ctcGreedyDecode: blank must be a non-negative integer class id, got -1$/,
      () => ctcGreedyDecode(logProbs, lengths, { blank: -1 }),
    ],
    [
      'blank out of range (greedy)',
      /^ctcGreedyDecode: blank must be an integer in \[0, C\) = \[0, 4\) \(C = logProbs\.shape\[2\]\), got 7$/,
      () => ctcGreedyDecode(logProbs, lengths, { blank: 7 }),
    ],
    [
      'inputLengths beyond T',
      /^ctcPrefixBeamSearch: inputLengths\[1\] = 6 exceeds T = logProbs\.shape\[0\] = 5$/,
      () => beam({}, [5, 6, 2]),
    ],
    [
      'a negative length',
      /^ctcGreedyDecode: inputLengths\[2\] = -1 must be a non-negative integer$/,
      () => ctcGreedyDecode(logProbs, [5, 4, -1]),
    ],
    [
      'lengths for another batch size',
      /^ctcPrefixBeamSearch: inputLengths has 2 entries, expected one per utterance: N = logProbs\.shape\[1\] = 3$/,
      () => beam({}, [5, 4]),
    ],
    [
      'a float lengths tensor',
      /^ctcPrefixBeamSearch: inputLengths must be a 1-D int32 tensor \[N\], got a 1-D float32 tensor of shape \[3\]$/,
      () => {
        const l = tf.tensor1d([5, 4, 2]);
        try {
          return beam({}, l);
        } finally {
          l.dispose();
        }
      },
    ],
    [
      'labels for another class count',
      /^ctcPrefixBeamSearch: labels has 3 entries, expected one per class: C = logProbs\.shape\[2\] = 4$/,
      () => beam({ labels: ['-', 'a', 'b'] }),
    ],
    [
      'a scorer without labels',
      /^ctcPrefixBeamSearch: scorer needs labels \(the text of each class id\)/,
      () => beam({ scorer }),
    ],
    [
      'hotwords without labels',
      /^ctcPrefixBeamSearch: hotwords need labels/,
      () => beam({ hotwords: ['ab'] }),
    ],
    [
      'an empty hotword',
      /^ctcPrefixBeamSearch: hotwords\[1\] is empty$/,
      () => beam({ labels: ['-', 'a', 'b', ' '], hotwords: ['ab', ' '] }),
    ],
    [
      'not a scorer',
      /^ctcPrefixBeamSearch: scorer must be a LanguageModelScorer/,
      () =>
        beam({ labels: ['-', 'a', 'b', ' '], scorer: { unit: 'phone' } as unknown as LanguageModelScorer }),
    ],
    [
      'alpha: NaN',
      /^ctcPrefixBeamSearch: alpha must be a finite number, got NaN$/,
      () => beam({ alpha: NaN }),
    ],
    [
      'pruneLogProb above 0',
      /^ctcPrefixBeamSearch: pruneLogProb must be a log-probability <= 0/,
      () => beam({ pruneLogProb: 2 }),
    ],
    [
      'logProbs of rank 2',
      /^ctcPrefixBeamSearch: logProbs must be 3-D \[T, N, C\], got shape \[5, 12\]$/,
      () => {
        const x = tf.zeros([5, 12]);
        try {
          return beam({}, undefined, x);
        } finally {
          x.dispose();
        }
      },
    ],
    [
      'a shape that does not fit the data',
      /^ctcGreedyDecode: logProbs\.shape \[5, 3, 5\] holds 75 values, but logProbs\.data has 60$/,
      () => ctcGreedyDecode({ data, shape: [5, 3, 5] }),
    ],
    [
      'logProbs that are not an array',
      /^ctcGreedyDecode: logProbs must be a float32 tf\.Tensor \[T, N, C\] or \{ data: Float32Array, shape \}, got \[\[0\]\]$/,
      () => ctcGreedyDecode([[0]] as unknown as typeof logProbs),
    ],
  ];
  it.each(cases)('%s', (_, message, call) => {
    const before = tf.memory().numTensors;
    expect(call).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('non-log-probabilities are an error', () => {
  // Probabilities (softmax output) instead of log-probabilities, in utterance 2 only, from frame 1 on.
  const probabilities = Float32Array.from(data);
  for (let t = 1; t < T; t++)
    for (let c = 0; c < C; c++) probabilities[(t * N + 2) * C + c] = Math.exp(data[(t * N + 2) * C + c]!);
  const expected = (fn: string, where: string) =>
    new RegExp(
      `^${fn}: logProbs must be log-softmax output \\(natural-log probabilities\\); ${where} sums to \\d+\\.?\\d* in probability space, expected 1`,
    );

  it('names the row and the sum', () => {
    const input = { data: probabilities, shape: [T, N, C] };
    expect(() => ctcPrefixBeamSearch(input, lengths)).toThrow(
      expected('ctcPrefixBeamSearch', 'row t=1 of utterance 2'),
    );
    expect(() => ctcGreedyDecode(input, lengths)).toThrow(
      expected('ctcGreedyDecode', 'row t=1 of utterance 2'),
    );
    // Within its length (1 frame) utterance 2 is valid.
    expect(() => ctcGreedyDecode(input, [5, 4, 1])).not.toThrow();
  });

  it('gives the sum in probability space, e.g. for logits', () => {
    const logits = new Float32Array(C).fill(0); // exp(0) · 4 classes = 4
    expect(() => ctcGreedyDecode({ data: logits, shape: [1, 1, C] })).toThrow(
      /row t=0 of utterance 0 sums to 4 in probability space/,
    );
  });

  it('rejects a value that is not a log-probability in any frame within the length', () => {
    const bad = Float32Array.from(data);
    bad[(4 * N + 1) * C + 2] = NaN;
    expect(() => ctcPrefixBeamSearch({ data: bad, shape: [T, N, C] }, [5, 5, 5])).toThrow(
      /^ctcPrefixBeamSearch: logProbs\[4\]\[1\]\[2\] = NaN is not a log-probability \(expected <= 0\); pass log-softmax output$/,
    );
    // Beyond utterance 1's length the value is padding and not read.
    expect(() => ctcGreedyDecode({ data: bad, shape: [T, N, C] }, [5, 4, 5])).not.toThrow();
    bad[(4 * N + 1) * C + 2] = 0.5;
    const decoder = new CtcStreamingDecoder();
    decoder.push({ data: data.subarray(0, 4 * C), shape: [4, C] });
    expect(() =>
      decoder.push({ data: bad.subarray((4 * N + 1) * C, (4 * N + 2) * C), shape: [1, C] }),
    ).toThrow(/^CtcStreamingDecoder\.push: logProbsChunk\[0\]\[2\] = 0\.5 is not a log-probability/);
    // The bad chunk was not consumed.
    expect(decoder.frames).toBe(4);
  });

  it('checks the first frames of a stream, across chunks', () => {
    const decoder = new CtcStreamingDecoder();
    decoder.push({ data: data.subarray(0, C), shape: [1, C] });
    expect(() => decoder.push({ data: new Float32Array(2 * C), shape: [2, C] })).toThrow(
      /^CtcStreamingDecoder\.push: logProbsChunk must be log-softmax output .*; row t=1 of the utterance sums to 4 in probability space/,
    );
  });
});

describe('CtcStreamingDecoder arguments', () => {
  it('checks options at construction and the class count at the first chunk', () => {
    expect(() => new CtcStreamingDecoder({ beamSize: 0 })).toThrow(
      /^CtcStreamingDecoder: beamSize must be a positive integer, got 0$/,
    );
    expect(() => new CtcStreamingDecoder({ labels: ['-', 'a'], blank: 2 })).toThrow(
      /^CtcStreamingDecoder: blank must be an integer in \[0, C\) = \[0, 2\) \(C = labels\.length\), got 2$/,
    );
    const decoder = new CtcStreamingDecoder({ labels: ['-', 'a', 'b'] });
    expect(() => decoder.push({ data: data.subarray(0, C), shape: [1, C] })).toThrow(
      /^CtcStreamingDecoder\.push: labels has 3 entries, expected one per class: C = logProbsChunk\.shape\[1\] = 4$/,
    );
    const other = new CtcStreamingDecoder();
    other.push({ data: data.subarray(0, C), shape: [1, C] });
    expect(() => other.push({ data: randomLogProbs(2, 1, 1, 3), shape: [1, 3] })).toThrow(
      /^CtcStreamingDecoder\.push: logProbsChunk\.shape\[1\] = 3 does not match the earlier chunks' class count C = 4$/,
    );
    expect(() => other.push({ data, shape: [T * N, C, 1] })).toThrow(
      /^CtcStreamingDecoder\.push: logProbsChunk\.shape must be 2 non-negative integers \[t, C\]/,
    );
  });
});

itRejectsUnknownOptions([
  {
    fn: 'ctcPrefixBeamSearch',
    call: (options) => ctcPrefixBeamSearch(logProbs, lengths, options),
    typo: ['beamsize', 'beamSize'],
    foreign: ['beam_size', 'beamSize'],
  },
  {
    fn: 'ctcGreedyDecode',
    call: (options) => ctcGreedyDecode(logProbs, lengths, options),
    typo: ['blnk', 'blank'],
  },
  {
    fn: 'CtcStreamingDecoder',
    call: (options) => new CtcStreamingDecoder(options),
    typo: ['hotword', 'hotwords'],
  },
]);
