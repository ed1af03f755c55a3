import { describe, expect, it } from 'vitest';

import { fromArpa } from './arpa_language_model.js';
import { KNESER_NEY_FIXTURE_CASES, loadKneserNeyFixture } from './__fixtures__/load_fixture.js';
import type { LanguageModelScorer } from './language_model_scorer.js';
import { NGramLanguageModel, type NGramTrainOptions } from './ngram_language_model.js';
import { tokenizeText } from './tokenize_text.js';

// NGramLanguageModel against nltk.lm.KneserNeyInterpolated (tools/fixtures/seq2seq_lm.py, Debian's
// python3-nltk), trained on the same corpus.

const fixture = loadKneserNeyFixture();
const TOL = 1e-9;

describe('NGramLanguageModel fixture', () => {
  it(`holds the ${KNESER_NEY_FIXTURE_CASES} cases tools/fixtures/seq2seq_lm.py writes`, () => {
    const cases = fixture.models.reduce((n, m) => n + m.queries.length + m.sentences.length, 0);
    expect(fixture.count).toBe(KNESER_NEY_FIXTURE_CASES);
    expect(cases).toBe(KNESER_NEY_FIXTURE_CASES);
    const settings = fixture.models.map((m) => `${m.unit}${m.order}`);
    for (const s of ['char2', 'char3', 'char4', 'word2', 'word3', 'word4']) expect(settings).toContain(s);
  });
});

describe.each(fixture.models)('NGramLanguageModel $unit order $order discount $discount', (m) => {
  const lm = NGramLanguageModel.train(fixture.corpus, { order: m.order, unit: m.unit, discount: m.discount });

  it('has NLTK’s vocabulary size', () => {
    expect(lm.vocabulary.length).toBe(m.vocabularySize);
  });

  it('gives NLTK’s lm.score(word, context) to 1e-9', () => {
    let zero = 0;
    for (const [word, context, expected] of m.queries) {
      const p = lm.prob(word, context);
      if (Math.abs(p - expected) > TOL) expect({ word, context, p }).toEqual({ word, context, p: expected });
      if (expected === 0) {
        zero++;
        expect(lm.logProb(word, context)).toBe(-Infinity);
      } else {
        expect(Math.abs(lm.logProb(word, context) - Math.log(expected))).toBeLessThan(TOL / expected);
      }
    }
    expect(zero).toBeGreaterThan(0); // unseen words are in the fixture
  });

  it('scores whole sentences like NLTK through start/score/finish', () => {
    for (const [text, expected] of m.sentences) {
      let state = lm.start();
      let total = 0;
      for (const token of tokenizeText(text, m.unit)) {
        const r = lm.score(state, token);
        total += r.logProb;
        state = r.state;
      }
      total += lm.finish(state);
      if (expected === -Infinity) expect(total).toBe(-Infinity);
      else expect(Math.abs(total - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
    }
  });
});

// Scores of each token of a sentence through start/score, then finish: what a decoder sums.
function tokenScores(lm: LanguageModelScorer<number>, tokens: readonly string[]): number[] {
  let state = lm.start();
  const out = tokens.map((t) => {
    const r = lm.score(state, t);
    state = r.state;
    return r.logProb;
  });
  out.push(lm.finish(state));
  return out;
}

// A small deterministic generator (no Math.random in tests).
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('NGramLanguageModel.toArpa', () => {
  it.each([
    ['char', 2],
    ['char', 3],
    ['char', 4],
    ['word', 2],
    ['word', 3],
    ['word', 4],
  ] as const)('%s order %i: the ARPA file scores like the model under backoff semantics', (unit, order) => {
    const lm = NGramLanguageModel.train(fixture.corpus, { order, unit });
    const arpa = fromArpa(lm.toArpa(), { unit });
    expect(arpa.order).toBe(order);
    const words = lm.vocabulary.filter((t) => !['<s>', '</s>', '<UNK>'].includes(t));
    const rand = lcg(order * 31 + unit.length);
    const sentences = fixture.corpus.map((t) => tokenizeText(t, unit));
    for (let i = 0; i < 200; i++) {
      const length = 1 + Math.floor(rand() * 8);
      sentences.push(Array.from({ length }, () => words[Math.floor(rand() * words.length)]!));
    }
    let compared = 0;
    for (const tokens of sentences) {
      const expected = tokenScores(lm, tokens);
      const actual = tokenScores(arpa, tokens);
      expected.forEach((e, i) => {
        expect(Math.abs(actual[i]! - e)).toBeLessThan(1e-9);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('writes P = 0 as log10 -99, <UNK> as <unk> and a space as <space>', () => {
    const lm = NGramLanguageModel.train(['ab a', 'b'], { order: 2, unit: 'char' });
    const text = lm.toArpa();
    expect(text.startsWith('\\data\\\nngram 1=')).toBe(true);
    expect(text).toMatch(/\n-99\t<unk>\n/);
    expect(text).toMatch(/\tb <space>[\t\n]/);
    expect(text.trimEnd().endsWith('\\end\\')).toBe(true);
    const arpa = fromArpa(text, { unit: 'char' });
    expect(arpa.logProb('z', ['a'])).toBe(arpa.logProb('<unk>', ['a']));
    expect(arpa.log10Prob('<unk>')).toBe(-99);
    expect(lm.toArpa({ spaceToken: '|' })).toMatch(/\tb \|[\t\n]/);
  });

  it('refuses tokens that ARPA cannot write', () => {
    const lm = NGramLanguageModel.train(['a\tb'], { order: 2, unit: 'char' });
    expect(() => lm.toArpa()).toThrow(/token "\\t" holds whitespace/);
    const spaced = NGramLanguageModel.train(['a b', '|'], { order: 2, unit: 'char' });
    expect(() => spaced.toArpa({ spaceToken: '|' })).toThrow(/two tokens would both be written as "\|"/);
  });
});

describe('NGramLanguageModel as a scorer', () => {
  const word = NGramLanguageModel.train(fixture.corpus, { order: 3, unit: 'word' });

  it('starts after order - 1 <s> and finishes with </s>', () => {
    const s = word.start();
    expect(word.score(s, 'the').logProb).toBeCloseTo(word.logProb('the', ['<s>', '<s>']), 14);
    const afterThe = word.score(s, 'the').state;
    expect(word.finish(afterThe)).toBeCloseTo(word.logProb('</s>', ['<s>', 'the']), 14);
    expect(word.unit).toBe('word');
    expect(word.smoothing).toBe('kneser-ney');
    expect(word.discount).toBe(0.1);
  });

  it('scores an unseen word as <UNK>: P = 0 unless a floor is set', () => {
    expect(word.score(word.start(), 'zebra').logProb).toBe(-Infinity);
    expect(word.prob('zebra', ['the'])).toBe(0);
    const floored = NGramLanguageModel.train(fixture.corpus, { order: 3, unit: 'word', logProbFloor: -20 });
    expect(floored.score(floored.start(), 'zebra').logProb).toBe(-20);
    expect(floored.score(floored.start(), 'the').logProb).toBe(word.score(word.start(), 'the').logProb);
    // prob/logProb stay NLTK's exact values.
    expect(floored.logProb('zebra', ['the'])).toBe(-Infinity);
  });

  it('gives a char model a multi-character label one character at a time', () => {
    const char = NGramLanguageModel.train(fixture.corpus, { order: 3, unit: 'char' });
    const t = char.score(char.start(), 't');
    const th = char.score(t.state, 'h');
    const both = char.score(char.start(), 'th');
    expect(both.logProb).toBeCloseTo(t.logProb + th.logProb, 14);
    expect(both.state).toBe(th.state);
    expect(char.score(t.state, '').state).toBe(t.state);
    expect(char.score(char.start(), ' ').logProb).toBeCloseTo(char.logProb(' ', ['<s>', '<s>']), 14);
  });
});

describe('NGramLanguageModel.train bad input', () => {
  const fn = /^NGramLanguageModel\.train: /;
  it.each([
    [
      'no texts',
      [],
      { order: 2, unit: 'word' },
      /texts must be a non-empty array of strings, got an array of length 0/,
    ],
    [
      'a text that is not a string',
      ['a', 3],
      { order: 2, unit: 'word' },
      /texts\[1\] must be a string, got 3/,
    ],
    [
      'order 1',
      ['a'],
      { order: 1, unit: 'word' },
      /order must be an integer ≥ 2 \(Kneser-Ney needs bigrams\), got 1/,
    ],
    ['a fractional order', ['a'], { order: 2.5, unit: 'word' }, /order must be an integer ≥ 2/],
    ['an unknown unit', ['a'], { order: 2, unit: 'byte' }, /unit must be 'char' or 'word', got "byte"/],
    [
      'another smoothing',
      ['a'],
      { order: 2, unit: 'word', smoothing: 'witten-bell' },
      /smoothing must be 'kneser-ney', got "witten-bell"/,
    ],
    [
      'a discount above 1',
      ['a'],
      { order: 2, unit: 'word', discount: 1.5 },
      /discount must be a number in \[0, 1\].*got 1.5/,
    ],
    [
      'a negative discount',
      ['a'],
      { order: 2, unit: 'word', discount: -0.1 },
      /discount must be a number in \[0, 1\]/,
    ],
    [
      'a positive floor',
      ['a'],
      { order: 2, unit: 'word', logProbFloor: 1 },
      /logProbFloor must be a number ≤ 0, got 1/,
    ],
  ])('%s', (_, texts, options, message) => {
    const train = () => NGramLanguageModel.train(texts as string[], options as NGramTrainOptions);
    expect(train).toThrow(fn);
    expect(train).toThrow(message);
  });
});
