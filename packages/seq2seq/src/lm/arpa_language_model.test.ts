import { describe, expect, it } from 'vitest';

import { loadKneserNeyFixture } from './__fixtures__/load_fixture.js';
import { ArpaLanguageModel, fromArpa } from './arpa_language_model.js';
import { NGramLanguageModel } from './ngram_language_model.js';
import { tokenizeText } from './tokenize_text.js';

// Backoff semantics on a hand-made ARPA file; the expected values are worked out by hand from the
// file (log10), in the comments, not printed by the code under test.

const WORD_ARPA = `
\\data\\
ngram 1=6
ngram 2=5
ngram 3=3

\\1-grams:
-1.0\t<unk>
-99\t<s>\t-0.5
-0.7\t</s>
-0.6\tthe\t-0.3
-0.8\tcat\t-0.2
-0.9\tsat

\\2-grams:
-0.4\t<s> the\t-0.1
-0.3\tthe cat\t-0.25
-0.5\tcat sat
-0.2\tsat </s>
-0.6\t<s> cat

\\3-grams:
-0.1\t<s> the cat
-0.15\tthe cat sat
-0.05\tcat sat the

\\end\\
`;

const LN10 = Math.log(10);
const close = (actual: number, log10: number) => expect(actual).toBeCloseTo(log10 * LN10, 12);

function sentenceLogProb(lm: ArpaLanguageModel, tokens: string[]): number {
  let state = lm.start();
  let total = 0;
  for (const t of tokens) {
    const r = lm.score(state, t);
    total += r.logProb;
    state = r.state;
  }
  return total + lm.finish(state);
}

describe('ArpaLanguageModel backoff semantics', () => {
  const lm = ArpaLanguageModel.parse(WORD_ARPA);

  it('reads the header', () => {
    expect(lm.order).toBe(3);
    expect(lm.counts).toEqual([6, 5, 3]);
    expect(lm.unit).toBe('word');
    expect(lm.vocabulary).toEqual(['<unk>', '<s>', '</s>', 'the', 'cat', 'sat']);
  });

  it('uses a listed n-gram as it is', () => {
    close(lm.logProb('cat', ['<s>', 'the']), -0.1); // "<s> the cat"
    close(lm.logProb('cat', ['<s>']), -0.6); // "<s> cat"
    close(lm.logProb('the', []), -0.6); // unigram
    // A listed trigram whose suffix "sat the" was pruned: still found.
    close(lm.logProb('the', ['cat', 'sat']), -0.05);
    expect(lm.log10Prob('cat', ['<s>', 'the'])).toBeCloseTo(-0.1, 12);
    expect(lm.prob('the')).toBeCloseTo(10 ** -0.6, 12);
  });

  it('backs off through two levels', () => {
    // "<s> the sat" missing: bo(<s> the) -0.1; "the sat" missing: bo(the) -0.3; P(sat) -0.9 → -1.3
    close(lm.logProb('sat', ['<s>', 'the']), -0.1 - 0.3 - 0.9);
    // "the cat </s>" missing: bo(the cat) -0.25; "cat </s>" missing: bo(cat) -0.2; P(</s>) -0.7 → -1.15
    close(lm.logProb('</s>', ['the', 'cat']), -0.25 - 0.2 - 0.7);
  });

  it('treats a missing backoff weight as 0 (log10)', () => {
    // "cat sat cat" missing: "cat sat" has no weight (0); "sat cat" missing: "sat" has none (0); P(cat) -0.8
    close(lm.logProb('cat', ['cat', 'sat']), -0.8);
    // "cat sat </s>" missing: bo(cat sat) = 0; "sat </s>" listed -0.2
    close(lm.logProb('</s>', ['cat', 'sat']), -0.2);
    // A context that is not listed at all ("<s> cat" has no weight, "cat the" is absent): bo = 0
    // "<s> cat the" missing → 0 + P(the | cat): "cat the" missing → bo(cat) -0.2 + P(the) -0.6 = -0.8
    close(lm.logProb('the', ['<s>', 'cat']), -0.8);
  });

  it('scores unknown words as <unk>, and an unknown context backs off to nothing', () => {
    // "the <unk>" missing: bo(the) -0.3 + P(<unk>) -1.0 = -1.3
    close(lm.logProb('dog', ['the']), -1.3);
    // "<unk> cat" missing, <unk> has no weight: P(cat) = -0.8
    close(lm.logProb('cat', ['dog']), -0.8);
  });

  it('keeps only the last order - 1 words of a long context', () => {
    close(lm.logProb('sat', ['<s>', 'the', 'the', 'cat']), -0.15); // "the cat sat"
  });

  it('scores sentences from <s> to </s> through start/score/finish', () => {
    // P(the|<s>) -0.4 + P(cat|<s> the) -0.1 + P(sat|the cat) -0.15 + P(</s>|cat sat) -0.2 = -0.85
    close(sentenceLogProb(lm, ['the', 'cat', 'sat']), -0.85);
    // P(cat|<s>) -0.6; P(the|<s> cat) = 0 + bo(cat) -0.2 + P(the) -0.6 = -0.8;
    // P(</s>|cat the) = 0 + P(</s>|the) = bo(the) -0.3 + P(</s>) -0.7 = -1.0 → -2.4
    close(sentenceLogProb(lm, ['cat', 'the']), -2.4);
    // P(cat|<s>) -0.6, P(sat|<s> cat) = 0 + P(sat|cat) -0.5, P(the|cat sat) -0.05 (trigram),
    // P(</s>|sat the) = 0 + P(</s>|the) -1.0 → -2.15
    close(sentenceLogProb(lm, ['cat', 'sat', 'the']), -2.15);
    close(lm.finish(lm.start()), -0.5 - 0.7); // "<s> </s>" missing: bo(<s>) -0.5 + P(</s>) -0.7
  });

  it('returns states that can be reused (immutable)', () => {
    const afterThe = lm.score(lm.start(), 'the').state;
    const a = lm.score(afterThe, 'cat');
    const b = lm.score(afterThe, 'sat');
    close(a.logProb, -0.1);
    close(b.logProb, -1.3);
    close(lm.score(afterThe, 'cat').logProb, -0.1);
  });

  it('is the same through fromArpa', () => {
    const viaFunction = fromArpa(WORD_ARPA, { unit: 'word' });
    expect(viaFunction.logProb('sat', ['<s>', 'the'])).toBe(lm.logProb('sat', ['<s>', 'the']));
  });
});

describe('ArpaLanguageModel char unit', () => {
  // No <unk> in the file: KenLM's stand-in log10 -100 is used.
  const CHAR_ARPA = [
    '\\data\\',
    'ngram 1=5',
    'ngram 2=3',
    '',
    '\\1-grams:',
    '-99 <s> -0.2',
    '-0.9 </s>',
    '-0.5 a -0.1',
    '-0.7 b',
    '-0.8 <space> -0.05',
    '',
    '\\2-grams:',
    '-0.3 <s> a',
    '-0.4 a <space>',
    '-0.2 <space> b',
    '',
    '\\end\\',
  ].join('\n');
  const lm = fromArpa(CHAR_ARPA, { unit: 'char' });

  it('maps a space label to the space token', () => {
    expect(lm.unit).toBe('char');
    const a = lm.score(lm.start(), 'a');
    close(a.logProb, -0.3); // "<s> a"
    const space = lm.score(a.state, ' ');
    close(space.logProb, -0.4); // "a <space>"
    close(lm.score(space.state, 'b').logProb, -0.2); // "<space> b"
  });

  it('backs off and scores unknown characters as <unk> (log10 -100 when the file has none)', () => {
    close(lm.score(lm.start(), 'b').logProb, -0.2 - 0.7); // bo(<s>) + P(b)
    close(lm.score(lm.start(), 'z').logProb, -0.2 - 100); // bo(<s>) + P(<unk>) = -100
    expect(lm.vocabulary).toContain('<unk>');
  });

  it('scores a label of several characters one character at a time', () => {
    // P(a|<s>) -0.3 + P(b|a) = bo(a) -0.1 + P(b) -0.7 → -1.1
    close(lm.score(lm.start(), 'ab').logProb, -1.1);
    expect(lm.score(lm.start(), '').logProb).toBe(0);
  });

  it('accepts a custom space token', () => {
    const pipe = fromArpa(CHAR_ARPA.replace(/<space>/g, '|'), { unit: 'char', spaceToken: '|' });
    close(pipe.logProb(' ', ['a']), -0.4);
  });
});

describe('ArpaLanguageModel bad input', () => {
  const valid = (body: string) => `\\data\\\nngram 1=3\nngram 2=1\n\n${body}`;
  const UNIGRAMS = '\\1-grams:\n-1\t<s>\t-0.5\n-0.5\t</s>\n-0.3\tword\n\n';
  const BIGRAMS = '\\2-grams:\n-0.2\t<s> word\n\n';

  it('accepts the minimal file used below', () => {
    expect(() => ArpaLanguageModel.parse(valid(UNIGRAMS + BIGRAMS + '\\end\\\n'))).not.toThrow();
  });

  it.each([
    ['empty text', '', /text is empty.*\\data\\/],
    ['no \\data\\ header', 'ngram 1=3\n', /line 1: expected the \\data\\ header, got "ngram 1=3"/],
    ['a bad count line', '\\data\\\nngram one=3\n', /line 2: expected "ngram N=count" in \\data\\/],
    ['counts out of sequence', '\\data\\\nngram 1=3\nngram 3=1\n', /line 3: expected "ngram 2=…"/],
    ['no counts', '\\data\\\n\n\\1-grams:\n', /declares no n-gram counts/],
    [
      'a missing section',
      valid(UNIGRAMS + '\\end\\\n'),
      /line 10: missing the \\2-grams: section \(\\data\\ declares ngram 2=1\)/,
    ],
    ['a section missing at the end', valid(UNIGRAMS), /missing the \\2-grams: section.*the text ends first/],
    [
      'too few entries',
      valid(UNIGRAMS.replace('-0.3\tword\n', '') + BIGRAMS + '\\end\\'),
      /\\1-grams: has 2 entries but \\data\\ declares ngram 1=3/,
    ],
    [
      'too many entries',
      valid(UNIGRAMS + BIGRAMS.replace('\n\n', '\n-0.1\tword </s>\n\n') + '\\end\\'),
      /\\2-grams: has 2 entries but \\data\\ declares ngram 2=1/,
    ],
    [
      'a line with too few fields',
      valid(UNIGRAMS.replace('-0.3\tword', '-0.3') + BIGRAMS + '\\end\\'),
      /line 8: expected "log10prob<TAB>word\[<TAB>log10backoff\]" in \\1-grams:, got "-0.3"/,
    ],
    [
      'a backoff on the highest order',
      valid(UNIGRAMS + BIGRAMS.replace('word\n', 'word\t-0.1\n') + '\\end\\'),
      /line 11: expected "log10prob<TAB>2 words" in \\2-grams:/,
    ],
    [
      'a probability that is not a number',
      valid(UNIGRAMS.replace('-0.3\tword', 'x\tword') + BIGRAMS + '\\end\\'),
      /line 8: log10 probability must be a number ≤ 0, got "x"/,
    ],
    [
      'a positive log probability',
      valid(UNIGRAMS.replace('-0.3\tword', '0.3\tword') + BIGRAMS + '\\end\\'),
      /line 8: log10 probability must be a number ≤ 0, got "0.3"/,
    ],
    [
      'a backoff that is not a number',
      valid(UNIGRAMS.replace('-0.5\n', 'bo\n') + BIGRAMS + '\\end\\'),
      /line 6: log10 backoff must be a number, got "bo"/,
    ],
    [
      'a word missing from the unigrams',
      valid(UNIGRAMS + BIGRAMS.replace('<s> word', '<s> other') + '\\end\\'),
      /line 11: word "other" is not in \\1-grams:/,
    ],
    [
      'a duplicate unigram',
      valid(UNIGRAMS.replace('-0.3\tword', '-0.3\t</s>') + BIGRAMS + '\\end\\'),
      /line 8: duplicate unigram "<\/s>"/,
    ],
    [
      'a duplicate n-gram',
      `\\data\\\nngram 1=3\nngram 2=2\n\n${UNIGRAMS}${BIGRAMS.replace('\n\n', '\n-0.1\t<s> word\n\n')}\\end\\`,
      /line 12: duplicate n-gram "<s> word"/,
    ],
    [
      'a missing \\end\\',
      valid(UNIGRAMS + BIGRAMS),
      /missing \\end\\ after the \\2-grams: section; the text ends first/,
    ],
    [
      'something else instead of \\end\\',
      valid(UNIGRAMS + BIGRAMS + '\\3-grams:\n'),
      /line 13: expected \\end\\ after the \\2-grams: section, got "\\\\3-grams:"/,
    ],
  ])('%s', (_, text, message) => {
    expect(() => ArpaLanguageModel.parse(text)).toThrow(message);
    expect(() => fromArpa(text)).toThrow(/^fromArpa: /);
  });

  it('names a bad option', () => {
    const text = valid(UNIGRAMS + BIGRAMS + '\\end\\');
    expect(() => fromArpa(text, { unit: 'byte' as 'char' })).toThrow(
      /fromArpa: options.unit must be 'char' or 'word', got "byte"/,
    );
    expect(() => fromArpa(text, { unit: 'char', spaceToken: ' ' })).toThrow(
      /options.spaceToken must be a non-empty string/,
    );
    expect(() => ArpaLanguageModel.parse(42 as unknown as string)).toThrow(/text must be a string/);
  });
});

// The definition, applied literally: string keys, the whole history, recursion on h minus its first word.
function naiveLog10(
  entries: Map<string, [number, number]>,
  order: number,
  history: string[],
  word: string,
): number {
  const known = (w: string) => (entries.has(w) ? w : '<unk>');
  const w = known(word);
  const rec = (h: string[]): number => {
    const listed = entries.get([...h, w].join(' '));
    if (listed) return listed[0];
    if (h.length === 0) return Number.NEGATIVE_INFINITY;
    return (entries.get(h.join(' '))?.[1] ?? 0) + rec(h.slice(1));
  };
  return rec(history.map(known).slice(Math.max(0, history.length - (order - 1))));
}

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('ArpaLanguageModel against the literal definition', () => {
  const corpus = loadKneserNeyFixture().corpus;
  it.each([
    ['word', 3],
    ['char', 4],
  ] as const)(
    '%s order %i, with a third of the longer n-grams pruned (missing prefixes and suffixes)',
    (unit, order) => {
      const rand = lcg(order);
      const full = NGramLanguageModel.train(corpus, { order, unit }).toArpa();
      // Keep every unigram, drop ~1/3 of the rest, and rewrite the counts.
      const sections: string[][] = [];
      const entries = new Map<string, [number, number]>();
      let n = 0;
      for (const line of full.split('\n')) {
        const section = /^\\(\d)-grams:$/.exec(line);
        if (section) {
          n = Number(section[1]);
          sections[n - 1] = [];
          continue;
        }
        if (n === 0 || line === '' || line.startsWith('\\')) continue;
        if (n > 1 && rand() < 1 / 3) continue;
        sections[n - 1]!.push(line);
        const f = line.split('\t');
        entries.set(f[1]!, [Number(f[0]), f[2] === undefined ? 0 : Number(f[2])]);
      }
      const text = [
        '\\data\\',
        ...sections.map((s, i) => `ngram ${i + 1}=${s.length}`),
        ...sections.flatMap((s, i) => ['', `\\${i + 1}-grams:`, ...s]),
        '',
        '\\end\\',
      ].join('\n');
      const lm = fromArpa(text, { unit });
      const space = (t: string) => (t === ' ' ? '<space>' : t);
      const vocabulary = [
        ...lm.vocabulary.filter((t) => t !== '<s>' && t !== '</s>'),
        unit === 'char' ? 'Q' : 'zebra',
      ];
      const sentences = corpus.map((t) => tokenizeText(t, unit).map(space));
      for (let i = 0; i < 150; i++) {
        const length = 1 + Math.floor(rand() * 10);
        sentences.push(Array.from({ length }, () => vocabulary[Math.floor(rand() * vocabulary.length)]!));
      }
      let compared = 0;
      for (const tokens of sentences) {
        let state = lm.start();
        const history = ['<s>'];
        for (const t of [...tokens, '</s>']) {
          const expected = naiveLog10(entries, order, history, t) * LN10;
          const actual = t === '</s>' ? lm.finish(state) : lm.score(state, t).logProb;
          expect(Math.abs(actual - expected)).toBeLessThan(1e-9);
          if (t !== '</s>') state = lm.score(state, t).state;
          history.push(t);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(1000);
    },
  );
});
