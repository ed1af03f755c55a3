import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { describe, expect, it } from 'vitest';

import type { LanguageModelScorer } from '../lm/language_model_scorer.js';
import { randomLogProbs } from './__fixtures__/decoder_inputs.js';
import type { CtcBeamSearchOptions } from './ctc_beam_search_options.js';
import { ctcPrefixBeamSearch } from './ctc_prefix_beam_search.js';
import { CtcStreamingDecoder } from './ctc_streaming_decoder.js';

const T = 41;
const C = 6;
const LABELS = ['_', ' ', 'a', 'b', 'c', 'd'];
const frames = randomLogProbs(7, T, 1, C, 3);

/** A char model that likes alternating letters: the state is the last label's text. */
const alternating: LanguageModelScorer<string> = {
  unit: 'char',
  start: () => '',
  score: (previous, token) => ({ logProb: Math.log(token === previous ? 0.05 : 0.3), state: token }),
  finish: (previous) => (previous === ' ' ? Math.log(0.5) : Math.log(0.2)),
};
const wordModel: LanguageModelScorer<number> = {
  unit: 'word',
  start: () => 0,
  score: (count, word) => ({ logProb: -word.length - 0.1 * count, state: count + 1 }),
  finish: (count) => -0.5 * count,
};

function chunkings(): number[][] {
  const random = new SeededRandom(3);
  const irregular: number[] = [];
  for (let left = T; left > 0;) {
    const size = Math.min(left, random.nextUint32() % 7);
    irregular.push(size); // sizes of 0 included
    left -= size;
  }
  return [new Array<number>(T).fill(1), [T], [20, 21], [0, 5, 5, 31], irregular];
}

function decodeInChunks(sizes: number[], options: CtcBeamSearchOptions) {
  const decoder = new CtcStreamingDecoder(options);
  let start = 0;
  for (const size of sizes) {
    decoder.push({ data: frames.subarray(start * C, (start + size) * C), shape: [size, C] });
    start += size;
  }
  expect(decoder.frames).toBe(T);
  return decoder.finish();
}

const settings: Array<[string, CtcBeamSearchOptions]> = [
  ['no scorer', { beamSize: 8 }],
  ['narrow beam and pruning', { beamSize: 3, pruneLogProb: -2 }],
  [
    'char scorer and hotwords',
    { beamSize: 6, labels: LABELS, scorer: alternating, hotwords: ['ab cd', 'ba'] },
  ],
  ['word scorer', { beamSize: 6, labels: LABELS, scorer: wordModel, alpha: 0.8, beta: 0.3, topK: 3 }],
];

describe('CtcStreamingDecoder', () => {
  describe.each(settings)('%s', (_, options) => {
    const offline = ctcPrefixBeamSearch({ data: frames, shape: [T, 1, C] }, undefined, options)[0]!;
    it.each(chunkings().map((sizes) => [sizes.length, sizes] as const))(
      'finish() equals the offline search (%i chunks)',
      (_, sizes) => {
        expect(decodeInChunks(sizes, options)).toEqual(offline);
      },
    );
  });

  it('push returns the best hypothesis of the frames so far', () => {
    const decoder = new CtcStreamingDecoder({ beamSize: 8 });
    for (let t = 0; t < T; t += 10) {
      const size = Math.min(10, T - t);
      const partial = decoder.push({ data: frames.subarray(t * C, (t + size) * C), shape: [size, C] });
      const offline = ctcPrefixBeamSearch({ data: frames, shape: [T, 1, C] }, [t + size], { beamSize: 8 });
      expect(partial).toEqual(offline[0]![0]);
    }
  });

  it('takes tensor chunks, and reset() starts a new utterance', () => {
    const decoder = new CtcStreamingDecoder({ beamSize: 4 });
    const chunk = tf.tensor2d(frames.subarray(0, 10 * C), [10, C]);
    try {
      decoder.push(chunk);
      const first = decoder.finish();
      expect(() => decoder.push(chunk)).toThrow(/call reset\(\)/);
      decoder.reset();
      decoder.push(chunk);
      expect(decoder.finish()).toEqual(first);
    } finally {
      chunk.dispose();
    }
  });

  it('finish() with no frames gives the empty hypothesis', () => {
    expect(new CtcStreamingDecoder().finish()).toEqual([
      { labels: [], score: 0, acousticScore: 0, lmScore: 0, hotwordScore: 0, timesteps: [] },
    ]);
  });
});
