import { describe, expect, it } from 'vitest';

import type { LanguageModelScorer } from '../lm/language_model_scorer.js';
import { randomLogProbs } from './__fixtures__/decoder_inputs.js';
import { CtcBeamSearch } from './ctc_beam_search.js';
import { resolveBeamSearchOptions } from './ctc_beam_search_options.js';

const bigramish: LanguageModelScorer<string> = {
  unit: 'char',
  start: () => '',
  score: (previous, token) => ({ logProb: -1 - 0.1 * ((previous + token).charCodeAt(0) % 5), state: token }),
  finish: () => -1,
};

const LABELS = ['-', 'a', 'b', 'c', 'd', 'e', ' ', 'f'];
const words: LanguageModelScorer<number> = {
  unit: 'word',
  start: () => 0,
  score: (n, word) => ({ logProb: -0.5 * word.length - (n % 3), state: n + 1 }),
  finish: () => -2,
};

describe('CtcBeamSearch', () => {
  it('gives the same n-best when its prefix trie is compacted every few frames', () => {
    const [T, C] = [200, 8];
    const data = randomLogProbs(21, T, 1, C, 2);
    const options = resolveBeamSearchOptions('test', {
      beamSize: 10,
      labels: LABELS,
      scorer: bigramish,
      hotwords: ['ab', 'fed'],
    });
    const run = (compactAbove: number) => {
      const search = new CtcBeamSearch(options, C, { compactAbove });
      for (let t = 0; t < T; t++) search.step(data, t * C);
      return search.nBest();
    };
    const reference = run(1 << 30);
    expect(run(64)).toEqual(reference);
    expect(run(1)).toEqual(reference);
  });

  const scorers: Array<[string, Parameters<typeof resolveBeamSearchOptions>[1]]> = [
    ['no scorer', { beamSize: 5 }],
    ['a char scorer', { beamSize: 5, labels: LABELS, scorer: bigramish, beta: 2 }],
    ['a char scorer, negative beta', { beamSize: 3, labels: LABELS, scorer: bigramish, beta: -1, alpha: 2 }],
    ['a word scorer', { beamSize: 4, labels: LABELS, scorer: words, alpha: 0.3, beta: 1.5 }],
  ];
  it.each(scorers)('skipping hopeless prefixes changes nothing (%s)', (_, raw) => {
    const options = resolveBeamSearchOptions('test', raw);
    for (const seed of [1, 2, 3]) {
      const [T, C] = [120, 8];
      const data = randomLogProbs(seed, T, 1, C, 1 + seed);
      const run = (skipBelowBound: boolean) => {
        const search = new CtcBeamSearch(options, C, { skipBelowBound });
        const partials = [];
        for (let t = 0; t < T; t++) {
          search.step(data, t * C);
          partials.push(search.best());
        }
        return { partials, nBest: search.nBest() };
      };
      expect(run(true)).toEqual(run(false));
    }
  });
});
