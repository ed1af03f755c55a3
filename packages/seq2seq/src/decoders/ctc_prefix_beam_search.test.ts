import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import type { LanguageModelScorer } from '../lm/language_model_scorer.js';
import { labellingLogProbs, logRows, randomLogProbs } from './__fixtures__/decoder_inputs.js';
import { ctcGreedyDecode } from './ctc_greedy_decode.js';
import { ctcPrefixBeamSearch } from './ctc_prefix_beam_search.js';

const EXHAUSTIVE = { beamSize: 1_000_000, pruneLogProb: -Infinity };

describe('ctcPrefixBeamSearch against brute-force enumeration of every alignment', () => {
  const cases: Array<{ seed: number; T: number; C: number; blank: number; lengths: number[] }> = [];
  let seed = 1;
  for (const C of [2, 3])
    for (const T of [1, 2, 3, 4, 5, 6])
      for (const blank of C === 3 ? [0, 2] : [0, 1])
        cases.push({ seed: seed++, T, C, blank, lengths: [T, Math.max(0, T - 1), Math.ceil(T / 2)] });

  it.each(cases)('T=$T C=$C blank=$blank (seed $seed)', ({ seed, T, C, blank, lengths }) => {
    const N = lengths.length;
    // Scale 1.5 leaves several labellings close to the best one.
    const data = randomLogProbs(seed, T, N, C, 1.5);
    const results = ctcPrefixBeamSearch({ data, shape: [T, N, C] }, lengths, { ...EXHAUSTIVE, blank });
    lengths.forEach((length, n) => {
      const exact = labellingLogProbs(data, [T, N, C], n, length, blank);
      const hypotheses = results[n]!;
      // Every labelling is kept, each with its exact probability summed over alignments.
      expect(hypotheses.length).toBe(exact.size);
      for (const h of hypotheses) {
        const reference = exact.get(h.labels.join(','));
        expect(reference).toBeDefined();
        expect(Math.abs(h.acousticScore - reference!)).toBeLessThan(1e-6);
        expect(h.score).toBe(h.acousticScore);
      }
      const [bestKey, bestLogProb] = [...exact].reduce((a, b) => (b[1] > a[1] ? b : a));
      expect(hypotheses[0]!.labels.join(',')).toBe(bestKey);
      expect(Math.abs(hypotheses[0]!.acousticScore - bestLogProb)).toBeLessThan(1e-6);
      // Sorted best first.
      for (let i = 1; i < hypotheses.length; i++)
        expect(hypotheses[i]!.score).toBeLessThanOrEqual(hypotheses[i - 1]!.score);
    });
  });

  it('takes a tf.Tensor and a tensor of lengths the same as host arrays', () => {
    const [T, N, C] = [5, 2, 3];
    const data = randomLogProbs(99, T, N, C);
    const logProbs = tf.tensor3d(data, [T, N, C]);
    const lengths = tf.tensor1d([5, 3], 'int32');
    try {
      expect(ctcPrefixBeamSearch(logProbs, lengths, { beamSize: 4 })).toEqual(
        ctcPrefixBeamSearch({ data, shape: [T, N, C] }, [5, 3], { beamSize: 4 }),
      );
    } finally {
      tf.dispose([logProbs, lengths]);
    }
  });
});

describe('ctcPrefixBeamSearch results', () => {
  it('returns topK hypotheses (default: the whole beam) and the empty labelling for length 0', () => {
    const [T, N, C] = [8, 2, 4];
    const data = randomLogProbs(5, T, N, C);
    const [full, empty] = ctcPrefixBeamSearch({ data, shape: [T, N, C] }, [8, 0], { beamSize: 5 });
    expect(full).toHaveLength(5);
    expect(empty).toEqual([
      { labels: [], score: 0, acousticScore: 0, lmScore: 0, hotwordScore: 0, timesteps: [] },
    ]);
    const top2 = ctcPrefixBeamSearch({ data, shape: [T, N, C] }, [8, 0], { beamSize: 5, topK: 2 });
    expect(top2[0]).toEqual(full!.slice(0, 2));
  });

  it('gives the start frame of each label and the text of the labels', () => {
    // Peaky frames whose best path is - a a - b b b a: labels a b a starting at frames 1, 4, 7.
    const path = [0, 1, 1, 0, 2, 2, 2, 1];
    const data = logRows(path.map((c) => [0, 1, 2].map((k) => (k === c ? 0.9 : 0.05))));
    const shape = [path.length, 1, 3];
    const best = ctcPrefixBeamSearch({ data, shape }, undefined, { labels: ['-', 'a', 'b'] })[0]![0]!;
    expect(best.labels).toEqual([1, 2, 1]);
    expect(best.text).toBe('aba');
    expect(best.timesteps).toEqual([1, 4, 7]);
    expect(ctcGreedyDecode({ data, shape })).toEqual([{ labels: [1, 2, 1], timesteps: [1, 4, 7] }]);
  });

  it('with a beam of 1 follows the best path of a peaky input', () => {
    const [T, N, C] = [30, 3, 5];
    const data = randomLogProbs(11, T, N, C, 6);
    const shape = [T, N, C];
    const beam = ctcPrefixBeamSearch({ data, shape }, [30, 20, 7], { beamSize: 1 });
    const greedy = ctcGreedyDecode({ data, shape }, [30, 20, 7]);
    // A beam of one may merge paths, so it can differ from greedy; on peaky frames it rarely does.
    expect(beam.map((b) => b[0]!.labels)).toEqual(greedy.map((g) => g.labels));
  });

  it('skips labels below pruneLogProb but always tries the frame’s best label', () => {
    // Each frame's best non-blank label is far below the threshold, yet it is still tried.
    const data = logRows([
      [1, 1e-6, 1e-7],
      [1, 1e-7, 1e-6],
    ]);
    const shape = [2, 1, 3];
    const pruned = ctcPrefixBeamSearch({ data, shape }, undefined, { pruneLogProb: -5 })[0]!;
    const keys = pruned.map((h) => h.labels.join(','));
    expect(keys.sort()).toEqual(['', '1', '1,2', '2'].sort());
    const all = ctcPrefixBeamSearch({ data, shape }, undefined, { pruneLogProb: -Infinity })[0]!;
    expect(all.length).toBeGreaterThan(pruned.length);
  });
});

// "the cat" with the middle two frames a near coin toss between "he" and "eh": acoustically "teh cat"
// wins by a hair (0.51² against 0.49²); a language model that knows English flips it.
const LABELS = ['-', ' ', 'a', 'c', 'e', 'h', 't'];
function ambiguousCat(): { data: Float32Array; shape: number[] } {
  const row = (weights: Record<string, number>) => LABELS.map((l) => (weights[l] ?? 0) + 0.002);
  const frames = [
    row({ t: 1 }),
    row({ e: 0.51, h: 0.49 }),
    row({ h: 0.51, e: 0.49 }),
    row({ ' ': 1 }),
    row({ c: 1 }),
    row({ a: 1 }),
    row({ t: 1 }),
  ];
  return { data: logRows(frames), shape: [frames.length, 1, LABELS.length] };
}

/** A tiny character bigram model: the state is the previous character. */
const charBigram: LanguageModelScorer<string> = {
  unit: 'char',
  start: () => '<s>',
  score(previous, token) {
    const likely: Record<string, string> = { '<s>': 't', t: 'h', h: 'e', e: ' ', ' ': 'c', c: 'a', a: 't' };
    return { logProb: Math.log(likely[previous] === token ? 0.6 : 0.05), state: token };
  },
  finish: (previous) => Math.log(previous === 't' ? 0.5 : 0.05),
};

/** A unigram word model. */
const wordUnigram: LanguageModelScorer<null> = {
  unit: 'word',
  start: () => null,
  score: (_, word) => ({ logProb: Math.log({ the: 0.3, cat: 0.2 }[word] ?? 1e-4), state: null }),
  finish: () => Math.log(0.1),
};

describe('ctcPrefixBeamSearch with a language model', () => {
  it('decodes the ambiguous frames as "teh cat" without a language model', () => {
    const { data, shape } = ambiguousCat();
    const best = ctcPrefixBeamSearch({ data, shape }, undefined, { labels: LABELS })[0]![0]!;
    expect(best.text).toBe('teh cat');
  });

  it('a char scorer flips it to "the cat"', () => {
    const { data, shape } = ambiguousCat();
    const [nBest] = ctcPrefixBeamSearch({ data, shape }, undefined, {
      labels: LABELS,
      scorer: charBigram,
      alpha: 0.5,
      beta: 0,
    });
    const best = nBest![0]!;
    expect(best.text).toBe('the cat');
    // lmScore is ln P_lm of the seven characters and the end of sentence.
    expect(best.lmScore).toBeCloseTo(7 * Math.log(0.6) + Math.log(0.5), 10);
    expect(best.score).toBeCloseTo(best.acousticScore + 0.5 * best.lmScore, 10);
    const teh = nBest!.find((h) => h.text === 'teh cat');
    expect(teh && teh.acousticScore).toBeGreaterThan(best.acousticScore);
  });

  it('a word scorer flips it, scoring whole words at separators and the last word at the end', () => {
    const { data, shape } = ambiguousCat();
    const [nBest] = ctcPrefixBeamSearch({ data, shape }, undefined, {
      labels: LABELS,
      scorer: wordUnigram,
      alpha: 0.5,
      beta: 1,
    });
    const best = nBest![0]!;
    expect(best.text).toBe('the cat');
    expect(best.lmScore).toBeCloseTo(Math.log(0.3) + Math.log(0.2) + Math.log(0.1), 10);
    // beta counts the two words.
    expect(best.score).toBeCloseTo(best.acousticScore + 0.5 * best.lmScore + 2, 10);
  });

  it('hotwords flip it without a language model', () => {
    const { data, shape } = ambiguousCat();
    const [nBest] = ctcPrefixBeamSearch({ data, shape }, undefined, {
      labels: LABELS,
      hotwords: ['the'],
      hotwordWeight: 1,
    });
    const best = nBest![0]!;
    expect(best.text).toBe('the cat');
    expect(best.hotwordScore).toBe(1);
    expect(best.score).toBeCloseTo(best.acousticScore + 1, 12);
  });
});
