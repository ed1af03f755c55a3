import { itRejectsUnknownOptions } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import {
  loadSacrebleuFixture,
  SACREBLEU_FIXTURE_COUNTS,
  subsetCorpus,
  type BleuFixtureRecord,
} from './__fixtures__/load_metrics_fixtures.js';
import { corpusBleu, sentenceBleu, type BleuOptions, type BleuScore } from './bleu.js';
import { SACREBLEU_VERSION } from './sacrebleu_version.js';

const fixture = loadSacrebleuFixture();

// The issue asks for 0.01 BLEU; the same arithmetic in the same order agrees far closer than that.
const TOLERANCE = 1e-9;

function expectSameScore(actual: BleuScore, expected: BleuFixtureRecord): void {
  expect(Math.abs(actual.score - expected.score)).toBeLessThan(TOLERANCE);
  expect(actual.counts).toEqual(expected.counts);
  expect(actual.totals).toEqual(expected.totals);
  expect(actual.sysLen).toBe(expected.sysLen);
  expect(actual.refLen).toBe(expected.refLen);
  expect(Math.abs(actual.bp - expected.bp)).toBeLessThan(1e-12);
  expect(actual.precisions).toHaveLength(expected.precisions.length);
  actual.precisions.forEach((p, n) => expect(Math.abs(p - expected.precisions[n]!)).toBeLessThan(1e-9));
  expect(actual.signature).toBe(expected.signature);
  if (expected.formatted !== undefined) expect(actual.formatted).toBe(expected.formatted);
}

describe('BLEU fixtures', () => {
  it('hold every case the generator writes (a truncated or stale file fails here)', () => {
    expect(fixture.counts).toEqual(SACREBLEU_FIXTURE_COUNTS);
    expect(fixture.cases).toHaveLength(SACREBLEU_FIXTURE_COUNTS.cases);
    expect(fixture.tokenizerInputs).toHaveLength(SACREBLEU_FIXTURE_COUNTS.tokenizerInputs);
    expect(fixture.bleuCorpus).toHaveLength(SACREBLEU_FIXTURE_COUNTS.bleuCorpus);
    expect(fixture.bleuSentence).toHaveLength(SACREBLEU_FIXTURE_COUNTS.bleuSentence);
  });

  it('come from the sacreBLEU version the signatures name', () => {
    expect(fixture.sacrebleu.version).toBe(SACREBLEU_VERSION);
  });
});

describe('corpusBleu against sacreBLEU', () => {
  for (const record of fixture.bleuCorpus) {
    it(`${record.subset}, ${record.nrefs} ref(s), ${JSON.stringify(record.options)}`, () => {
      const { hypotheses, references } = subsetCorpus(fixture, record.subset, record.nrefs);
      expectSameScore(corpusBleu(hypotheses, references, record.options as BleuOptions), record);
    });
  }
});

describe('sentenceBleu against sacreBLEU', () => {
  for (const record of fixture.bleuSentence) {
    it(`case ${record.case}, ${record.nrefs} ref(s), ${JSON.stringify(record.options)}`, () => {
      const [hypothesis, ...refs] = fixture.cases[record.case]!;
      expectSameScore(
        sentenceBleu(hypothesis, refs.slice(0, record.nrefs), record.options as BleuOptions),
        record,
      );
    });
  }
});

describe('BLEU semantics', () => {
  it('scores an identical corpus 100 with the default signature', () => {
    const result = corpusBleu(['the cat sat on the mat'], [['the cat sat on the mat']]);
    expect(result.score).toBeCloseTo(100, 10);
    expect(result.signature).toBe(
      `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:${SACREBLEU_VERSION}`,
    );
    expect(result.name).toBe('BLEU');
  });

  it('writes the smoothing constant into the signature, rounded as Python does', () => {
    const hyp = ['a b c'];
    const refs = [['a b d']];
    expect(corpusBleu(hyp, refs, { smoothMethod: 'floor' }).signature).toContain('smooth:floor[0.10]');
    expect(corpusBleu(hyp, refs, { smoothMethod: 'add-k' }).signature).toContain('smooth:add-k[1.00]');
    // 0.125 is an exact tie: Python rounds half to even, toFixed would print 0.13.
    expect(corpusBleu(hyp, refs, { smoothMethod: 'floor', smoothValue: 0.125 }).signature).toContain(
      'smooth:floor[0.12]',
    );
    expect(corpusBleu(hyp, refs, { smoothMethod: 'none', smoothValue: 3 }).signature).toContain(
      'smooth:none|',
    );
  });

  it('sentenceBleu takes one reference string or several', () => {
    expect(sentenceBleu('a b c', 'a b c').score).toBeCloseTo(100, 10);
    expect(sentenceBleu('a b c', ['x', 'a b c']).signature).toMatch(/^nrefs:2\|case:mixed\|eff:yes\|/);
  });

  it('does not modify its arguments', () => {
    const hyps = ['A b.', 'c d'];
    const refs = [['a b.', 'c d e']];
    const copy = JSON.stringify([hyps, refs]);
    corpusBleu(hyps, refs, { smoothMethod: 'add-k', lowercase: true });
    expect(JSON.stringify([hyps, refs])).toBe(copy);
  });
});

describe('BLEU bad input', () => {
  const cases: Array<[string, () => unknown, string | RegExp]> = [
    [
      'empty hypotheses',
      () => corpusBleu([], [[]]),
      'corpusBleu: hypotheses is empty; expected at least one string',
    ],
    [
      'hypotheses not an array',
      () => corpusBleu('a b' as never, [['a b']]),
      /^corpusBleu: hypotheses must be an array of strings, got "a b"$/,
    ],
    [
      'a non-string hypothesis',
      () => corpusBleu(['a', 3 as never], [['a', 'b']]),
      'corpusBleu: hypotheses[1] must be a string, got 3',
    ],
    [
      'references as a flat list',
      () => corpusBleu(['a', 'b'], ['a', 'b'] as never),
      'corpusBleu: references must be an array of reference streams (string[][]), got an array of 2 strings; for one reference per hypothesis pass [references]',
    ],
    ['no reference streams', () => corpusBleu(['a'], []), /^corpusBleu: references is empty/],
    [
      'a stream of the wrong length',
      () => corpusBleu(['a', 'b'], [['a', 'b'], ['a']]),
      'corpusBleu: references[1] has 1 segments but hypotheses has 2; every reference stream needs one segment per hypothesis',
    ],
    [
      'a non-string reference',
      () => corpusBleu(['a'], [[null as never]]),
      'corpusBleu: references[0][0] must be a string, got null',
    ],
    [
      'an empty reference stream',
      () => corpusBleu(['a'], [[]]),
      'corpusBleu: references[0] is empty; expected at least one string',
    ],
    [
      'an unknown tokenizer',
      () => corpusBleu(['a'], [['a']], { tokenize: 'zh' as never }),
      /^corpusBleu: tokenize must be one of 'none', '13a', 'intl', 'char', got "zh"$/,
    ],
    [
      'an unknown smoothing',
      () => corpusBleu(['a'], [['a']], { smoothMethod: 'add-one' as never }),
      /^corpusBleu: smoothMethod must be one of 'none', 'floor', 'add-k', 'exp'/,
    ],
    [
      'a negative smoothValue',
      () => corpusBleu(['a'], [['a']], { smoothValue: -1 }),
      'corpusBleu: smoothValue must be a finite number ≥ 0, got -1',
    ],
    [
      'maxNgramOrder 0',
      () => corpusBleu(['a'], [['a']], { maxNgramOrder: 0 }),
      'corpusBleu: maxNgramOrder must be an integer in [1, 100], got 0',
    ],
    [
      'lowercase not a boolean',
      () => corpusBleu(['a'], [['a']], { lowercase: 'yes' as never }),
      'corpusBleu: lowercase must be true or false, got "yes"',
    ],
    [
      'sentenceBleu without references',
      () => sentenceBleu('a', []),
      'sentenceBleu: references is empty; expected at least one string',
    ],
    [
      'sentenceBleu with a list as hypothesis',
      () => sentenceBleu(['a'] as never, ['a']),
      'sentenceBleu: hypothesis must be a string, got ["a"]',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(message);
    });
  }

  itRejectsUnknownOptions([
    {
      fn: 'corpusBleu',
      call: (o) => corpusBleu(['a'], [['a']], o),
      typo: ['tokenise', 'tokenize'],
      foreign: ['smooth_method', 'smoothMethod'],
    },
    {
      fn: 'sentenceBleu',
      call: (o) => sentenceBleu('a', ['a'], o),
      typo: ['lowercse', 'lowercase'],
      foreign: ['effective_order', 'effectiveOrder'],
    },
  ]);
});
