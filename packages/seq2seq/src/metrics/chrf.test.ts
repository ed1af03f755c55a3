import { itRejectsUnknownOptions } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import {
  loadSacrebleuFixture,
  SACREBLEU_FIXTURE_COUNTS,
  subsetCorpus,
} from './__fixtures__/load_metrics_fixtures.js';
import { corpusChrf, sentenceChrf, type ChrfOptions } from './chrf.js';
import { SACREBLEU_VERSION } from './sacrebleu_version.js';

const fixture = loadSacrebleuFixture();
const TOLERANCE = 1e-9;

describe('chrF fixtures', () => {
  it('hold every case the generator writes', () => {
    expect(fixture.chrfCorpus).toHaveLength(SACREBLEU_FIXTURE_COUNTS.chrfCorpus);
    expect(fixture.chrfSentence).toHaveLength(SACREBLEU_FIXTURE_COUNTS.chrfSentence);
  });
});

describe('corpusChrf against sacreBLEU', () => {
  for (const record of fixture.chrfCorpus) {
    it(`${record.subset}, ${record.nrefs} ref(s), ${JSON.stringify(record.options)}`, () => {
      const { hypotheses, references } = subsetCorpus(fixture, record.subset, record.nrefs);
      const result = corpusChrf(hypotheses, references, record.options as ChrfOptions);
      expect(Math.abs(result.score - record.score)).toBeLessThan(TOLERANCE);
      expect(result.name).toBe(record.name);
      expect(result.signature).toBe(record.signature);
      expect(result.formatted).toBe(record.formatted);
    });
  }
});

describe('sentenceChrf against sacreBLEU', () => {
  for (const record of fixture.chrfSentence) {
    it(`case ${record.case}, ${record.nrefs} ref(s), ${JSON.stringify(record.options)}`, () => {
      const [hypothesis, ...refs] = fixture.cases[record.case]!;
      const result = sentenceChrf(hypothesis, refs.slice(0, record.nrefs), record.options as ChrfOptions);
      expect(Math.abs(result.score - record.score)).toBeLessThan(TOLERANCE);
      expect(result.signature).toBe(record.signature);
    });
  }
});

describe('chrF semantics', () => {
  it('names chrF2 and chrF2++ and signs them as sacreBLEU does', () => {
    const plain = corpusChrf(['a cat'], [['a cat']]);
    expect(plain).toMatchObject({ name: 'chrF2', charOrder: 6, wordOrder: 0, beta: 2 });
    expect(plain.score).toBeCloseTo(100, 10);
    expect(plain.signature).toBe(
      `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:${SACREBLEU_VERSION}`,
    );
    expect(corpusChrf(['a cat'], [['a cat']], { wordOrder: 2 }).name).toBe('chrF2++');
  });
});

describe('chrF bad input', () => {
  const cases: Array<[string, () => unknown, string | RegExp]> = [
    [
      'empty hypotheses',
      () => corpusChrf([], [[]]),
      'corpusChrf: hypotheses is empty; expected at least one string',
    ],
    [
      'mismatched counts',
      () => corpusChrf(['a', 'b'], [['a']]),
      /^corpusChrf: references\[0\] has 1 segments but hypotheses has 2/,
    ],
    [
      'a flat reference list',
      () => corpusChrf(['a'], ['a'] as never),
      /^corpusChrf: references must be an array of reference streams/,
    ],
    [
      'a non-string hypothesis',
      () => corpusChrf([undefined as never], [['a']]),
      'corpusChrf: hypotheses[0] must be a string, got undefined',
    ],
    [
      'no n-gram order',
      () => corpusChrf(['a'], [['a']], { charOrder: 0 }),
      'corpusChrf: charOrder and wordOrder are both 0; at least one n-gram order is needed',
    ],
    [
      'a fractional order',
      () => corpusChrf(['a'], [['a']], { wordOrder: 1.5 }),
      'corpusChrf: wordOrder must be an integer in [0, 100], got 1.5',
    ],
    [
      'beta 0',
      () => corpusChrf(['a'], [['a']], { beta: 0 }),
      'corpusChrf: beta must be a finite number > 0, got 0',
    ],
    [
      'sentenceChrf without references',
      () => sentenceChrf('a', []),
      'sentenceChrf: references is empty; expected at least one string',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(message);
    });
  }

  itRejectsUnknownOptions([
    {
      fn: 'corpusChrf',
      call: (o) => corpusChrf(['a'], [['a']], o),
      typo: ['wordOrdr', 'wordOrder'],
      foreign: ['char_order', 'charOrder'],
    },
    {
      fn: 'sentenceChrf',
      call: (o) => sentenceChrf('a', ['a'], o),
      typo: ['whitespaces', 'whitespace'],
      foreign: ['eps_smoothing', 'epsSmoothing'],
    },
  ]);
});
