import { itRejectsUnknownOptions } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import {
  LEVENSHTEIN_FIXTURE_PAIRS,
  loadLevenshteinFixture,
  type EditFixture,
} from './__fixtures__/load_metrics_fixtures.js';
import { expectValidAlignment, toEditops } from './__fixtures__/alignment_checks.js';
import { charErrorRate, wordErrorRate, type ErrorRateOptions, type ErrorRateResult } from './error_rate.js';

const fixture = loadLevenshteinFixture();

function expectLikeLevenshtein(
  result: ErrorRateResult,
  expected: EditFixture,
  ref: string[],
  hyp: string[],
): void {
  expect(result.references[0]).toEqual(ref);
  expect(result.hypotheses[0]).toEqual(hyp);
  const errors = result.substitutions + result.deletions + result.insertions;
  expect(errors).toBe(expected.distance);
  expect(result.errorRate).toBe(expected.distance / ref.length);
  expect(result.referenceLength).toBe(ref.length);
  expect(result.hypothesisLength).toBe(hyp.length);
  // The same tie-breaking as python-Levenshtein, so the counts and even the operations agree.
  expect({ s: result.substitutions, d: result.deletions, i: result.insertions, h: result.hits }).toEqual({
    s: expected.substitutions,
    d: expected.deletions,
    i: expected.insertions,
    h: expected.hits,
  });
  const chunks = result.alignments[0]!;
  expect(toEditops(chunks)).toEqual(expected.editops);
  expectValidAlignment(ref, hyp, {
    distance: errors,
    hits: result.hits,
    substitutions: result.substitutions,
    deletions: result.deletions,
    insertions: result.insertions,
    chunks,
  });
}

describe('Levenshtein fixtures', () => {
  it('hold every pair the generator writes', () => {
    expect(fixture.counts.pairs).toBe(LEVENSHTEIN_FIXTURE_PAIRS);
    expect(fixture.pairs).toHaveLength(LEVENSHTEIN_FIXTURE_PAIRS);
  });
});

describe('wordErrorRate and charErrorRate against python-Levenshtein', () => {
  fixture.pairs.forEach((pair, n) => {
    const options = pair.options as ErrorRateOptions;
    it(`pair ${n} ${JSON.stringify(pair.options)}: words`, () => {
      if (pair.word.referenceEmpty) {
        expect(() => wordErrorRate([pair.reference], [pair.hypothesis], options)).toThrow(
          /^wordErrorRate: references\[0\] is .* which has no words after normalisation; WER is undefined for an empty reference/,
        );
        return;
      }
      const result = wordErrorRate([pair.reference], [pair.hypothesis], options);
      expectLikeLevenshtein(result, pair.word, pair.word.reference, pair.word.hypothesis);
    });
    it(`pair ${n} ${JSON.stringify(pair.options)}: characters`, () => {
      if (pair.char.referenceEmpty) {
        expect(() => charErrorRate(pair.reference, pair.hypothesis, options)).toThrow(
          /^charErrorRate: references\[0\] is /,
        );
        return;
      }
      const result = charErrorRate(pair.reference, pair.hypothesis, options);
      expectLikeLevenshtein(
        result,
        pair.char,
        Array.from(pair.char.reference),
        Array.from(pair.char.hypothesis),
      );
    });
  });

  it('sums over a corpus and divides by the reference words only', () => {
    const pairs = fixture.pairs.filter((p) => Object.keys(p.options).length === 0 && !p.word.referenceEmpty);
    const result = wordErrorRate(
      pairs.map((p) => p.reference),
      pairs.map((p) => p.hypothesis),
    );
    const distance = pairs.reduce((sum, p) => sum + p.word.distance, 0);
    const refWords = pairs.reduce((sum, p) => sum + p.word.reference.length, 0);
    expect(result.errorRate).toBeCloseTo(distance / refWords, 12);
    expect(result.alignments).toHaveLength(pairs.length);
  });
});

describe('error rate semantics', () => {
  it('divides by the reference length, so insertions can push WER above 1', () => {
    const result = wordErrorRate('hello', 'oh hello there my friend');
    expect(result).toMatchObject({
      errorRate: 4,
      hits: 1,
      insertions: 4,
      referenceLength: 1,
      hypothesisLength: 5,
    });
  });

  it('counts an empty hypothesis as all deletions', () => {
    expect(wordErrorRate(['a b c'], [''])).toMatchObject({ errorRate: 1, deletions: 3, hypotheses: [[]] });
  });

  it('normalises case, punctuation and whitespace when asked', () => {
    const ref = 'Hello,   World!';
    const hyp = 'hello world';
    expect(wordErrorRate(ref, hyp).errorRate).toBe(1);
    expect(wordErrorRate(ref, hyp, { lowercase: true, removePunctuation: true }).errorRate).toBe(0);
    expect(charErrorRate(ref, hyp, { lowercase: true, removePunctuation: true }).errorRate).toBe(0);
    // Without collapsing, the three spaces are three reference characters.
    expect(
      charErrorRate(ref, hyp, { lowercase: true, removePunctuation: true, collapseWhitespace: false }),
    ).toMatchObject({
      deletions: 2,
      referenceLength: 13,
    });
  });

  it('counts characters as code points', () => {
    expect(charErrorRate('a😀b', 'ab')).toMatchObject({
      errorRate: 1 / 3,
      deletions: 1,
      references: [['a', '😀', 'b']],
    });
  });
});

describe('error rate bad input', () => {
  const cases: Array<[string, () => unknown, string | RegExp]> = [
    [
      'an empty reference, named by its index',
      () => wordErrorRate(['a b', '  ', 'c'], ['a b', 'x', 'c']),
      'wordErrorRate: references[1] is "  ", which has no words after normalisation; WER is undefined for an empty reference (drop the pair or give it a reference)',
    ],
    [
      'a reference that normalisation empties',
      () => charErrorRate(['a', '?!'], ['a', 'b'], { removePunctuation: true }),
      /^charErrorRate: references\[1\] is "\?!", which has no characters after normalisation; CER is undefined/,
    ],
    [
      'mismatched counts',
      () => wordErrorRate(['a', 'b'], ['a']),
      'wordErrorRate: got 2 references and 1 hypotheses; expected one hypothesis per reference',
    ],
    [
      'empty lists',
      () => wordErrorRate([], []),
      'wordErrorRate: references is empty; expected at least one string',
    ],
    [
      'an empty hypothesis list',
      () => charErrorRate(['a'], []),
      'charErrorRate: hypotheses is empty; expected at least one string',
    ],
    [
      'a non-string reference',
      () => wordErrorRate(['a', 5 as never], ['a', 'b']),
      'wordErrorRate: references[1] must be a string, got 5',
    ],
    [
      'a non-string hypothesis',
      () => charErrorRate(['a'], [['a'] as never]),
      'charErrorRate: hypotheses[0] must be a string, got ["a"]',
    ],
    [
      'references not a list',
      () => wordErrorRate(7 as never, ['a']),
      'wordErrorRate: references must be an array of strings, got 7',
    ],
    [
      'a non-boolean option',
      () => wordErrorRate('a', 'a', { lowercase: 1 as never }),
      'wordErrorRate: lowercase must be true or false, got 1',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(message);
    });
  }

  itRejectsUnknownOptions([
    {
      fn: 'wordErrorRate',
      call: (o) => wordErrorRate('a', 'a', o),
      typo: ['lowercas', 'lowercase'],
      foreign: ['remove_punctuation', 'removePunctuation'],
    },
    {
      fn: 'charErrorRate',
      call: (o) => charErrorRate('a', 'a', o),
      typo: ['collapseWhitespaces', 'collapseWhitespace'],
    },
  ]);
});
