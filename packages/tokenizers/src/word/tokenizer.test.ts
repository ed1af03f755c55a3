import { describe, expect, it } from 'vitest';

import { fixtureJson } from '../__fixtures__/load_fixture.js';
import { Tokenizer, type TokenizerOptions } from './tokenizer.js';

interface KerasCase {
  name: string;
  config: {
    num_words?: number;
    oov_token?: string;
    char_level?: boolean;
    lower?: boolean;
    split?: string;
    filters?: string;
  };
  word_index: [string, number][];
  sequences: number[][];
  texts: string[];
  to_json: string;
}
// KERAS_TEXTS, KERAS_QUERIES and KERAS_CONFIGS of tools/fixtures/tokenizers.py.
const fixture = fixtureJson<{ texts: string[]; queries: string[]; cases: KerasCase[] }>(
  'keras_tokenizer.json',
  { texts: 9, queries: 4, cases: 5 },
);

function options(c: KerasCase['config']): TokenizerOptions {
  return {
    numWords: c.num_words ?? null,
    oovToken: c.oov_token ?? null,
    charLevel: c.char_level,
    lower: c.lower,
    split: c.split,
    filters: c.filters,
  };
}

describe('Tokenizer matches the port of keras_preprocessing/text.py (fixture)', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: word_index, texts_to_sequences, sequences_to_texts and to_json()`, () => {
      const tok = new Tokenizer(options(c.config)).fitOnTexts(fixture.texts);
      expect([...tok.wordIndex]).toEqual(c.word_index);
      const seqs = tok.textsToSequences([...fixture.queries, ...fixture.texts]);
      expect(seqs).toEqual(c.sequences);
      expect(tok.sequencesToTexts([...seqs, [0, 1, 2, 999]])).toEqual(c.texts);
      expect(tok.toJson()).toBe(c.to_json);
    });

    it(`${c.name}: pruned() converts texts and sequences as Keras does, through its own JSON too`, () => {
      const full = new Tokenizer(options(c.config)).fitOnTexts(fixture.texts);
      const pruned = full.pruned();
      for (const tok of [pruned, Tokenizer.fromJson(pruned.toJson())]) {
        expect(tok.textsToSequences([...fixture.queries, ...fixture.texts])).toEqual(c.sequences);
        expect(tok.sequencesToTexts([...c.sequences, [0, 1, 2, 999]])).toEqual(c.texts);
      }
      if (c.config.num_words !== undefined && c.config.num_words < full.wordIndex.size) {
        expect(pruned.wordIndex.size).toBeLessThan(full.wordIndex.size);
        expect(pruned.toJson().length).toBeLessThan(full.toJson().length);
      }
    });

    it(`${c.name}: fromJson(Keras's JSON) restores a tokenizer that converts identically and writes the same JSON`, () => {
      const tok = Tokenizer.fromJson(c.to_json);
      expect(tok.textsToSequences([...fixture.queries, ...fixture.texts])).toEqual(c.sequences);
      expect(tok.toJson()).toBe(c.to_json);
    });
  }
});

describe('Tokenizer, hand-checked cases', () => {
  it('"the" (3x) is index 1; "cat" and "sat" tie at 1 and keep first-appearance order', () => {
    const tok = new Tokenizer().fitOnTexts(['The cat sat.', 'the THE dog']);
    expect([...tok.wordIndex]).toEqual([
      ['the', 1],
      ['cat', 2],
      ['sat', 3],
      ['dog', 4],
    ]);
  });

  it('oovToken takes index 1 and stands in for unknown words; numWords=3 keeps ids 1 and 2 only', () => {
    const tok = new Tokenizer({ oovToken: '<OOV>', numWords: 3 }).fitOnTexts(['a a a b b c']);
    expect([...tok.wordIndex]).toEqual([
      ['<OOV>', 1],
      ['a', 2],
      ['b', 3],
      ['c', 4],
    ]);
    expect(tok.textsToSequences(['a b c zebra'])).toEqual([[2, 1, 1, 1]]);
    expect(tok.sequencesToTexts([[2, 3]])).toEqual(['a <OOV>']);
  });

  it('pruned() keeps the words below numWords and the OOV token, also when the texts hold the OOV token itself', () => {
    const tok = new Tokenizer({ oovToken: 'zz', numWords: 3 }).fitOnTexts(['a a a b b c zz', 'd']);
    // Keras: zz is index 1 in index_word and, seen in the texts, index 5 in word_index.
    expect(tok.wordIndex.get('zz')).toBe(5);
    const pruned = tok.pruned();
    expect([...pruned.wordIndex]).toEqual([
      ['zz', 5],
      ['a', 2],
    ]);
    expect(pruned.documentCount).toBe(2);
    const texts = ['a b c d zz e'];
    expect(pruned.textsToSequences(texts)).toEqual(tok.textsToSequences(texts));
    expect(Tokenizer.fromJson(pruned.toJson()).textsToSequences(texts)).toEqual(tok.textsToSequences(texts));
  });

  it('without oovToken unknown words are dropped; "don\'t" keeps its apostrophe (not in the default filters)', () => {
    const tok = new Tokenizer().fitOnTexts(["Don't stop"]);
    expect(tok.textsToSequences(["don't go, stop!"])).toEqual([[1, 2]]);
  });

  it('charLevel ignores filters and counts code points (an emoji is one token)', () => {
    const tok = new Tokenizer({ charLevel: true }).fitOnTexts(['a!a😀']);
    expect([...tok.wordIndex]).toEqual([
      ['a', 1],
      ['!', 2],
      ['😀', 3],
    ]);
  });

  it('fitOnTexts is cumulative and also accepts pre-tokenised lists', () => {
    const tok = new Tokenizer().fitOnTexts([['Hello', 'world']]).fitOnTexts(['world']);
    expect(tok.documentCount).toBe(2);
    expect([...tok.wordCounts]).toEqual([
      ['hello', 1],
      ['world', 2],
    ]);
    expect(tok.wordIndex.get('world')).toBe(1);
  });

  it('integer-like words keep their order through JSON (JSON.parse would move "2024" first)', () => {
    const tok = new Tokenizer().fitOnTexts(['alpha 2024 beta 7']);
    const back = Tokenizer.fromJson(tok.toJson());
    expect([...back.wordCounts.keys()]).toEqual(['alpha', '2024', 'beta', '7']);
  });
});

describe('Tokenizer bad input', () => {
  it('rejects bad options with the option name', () => {
    expect(() => new Tokenizer({ numWords: -1 })).toThrow(
      /numWords must be null or a non-negative integer, got -1/,
    );
    expect(() => new Tokenizer({ split: '' })).toThrow(/split must be a non-empty string/);
  });

  it('lone surrogates and non-strings throw naming the text index; empty strings give []', () => {
    const tok = new Tokenizer().fitOnTexts(['a b']);
    expect(() => tok.fitOnTexts(['ok', 'x\uD83D'])).toThrow(
      /texts\[1\] holds a lone UTF-16 surrogate U\+D83D at index 1/,
    );
    expect(() => tok.textsToSequences([null as unknown as string])).toThrow(
      /texts\[0\] must be a string, got null/,
    );
    expect(tok.textsToSequences(['', '   '])).toEqual([[], []]);
    expect(tok.documentCount).toBe(1); // the failed fit changed nothing
  });

  it('very long input: 100k words in one text', () => {
    const tok = new Tokenizer().fitOnTexts([Array(100_000).fill('w x').join(' ')]);
    expect(tok.wordCounts.get('w')).toBe(100_000);
  });

  it('fromJson rejects JSON of the wrong shape with what was expected', () => {
    const good = JSON.parse(new Tokenizer().fitOnTexts(['a b']).toJson());
    const mutate = (f: (c: Record<string, unknown>) => void): string => {
      const copy = structuredClone(good);
      f(copy.config);
      return JSON.stringify(copy);
    };
    expect(() => Tokenizer.fromJson('{oops')).toThrow(/not valid JSON/);
    expect(() => Tokenizer.fromJson('[]')).toThrow(/expected an object \{"class_name": "Tokenizer"/);
    expect(() => Tokenizer.fromJson(JSON.stringify({ class_name: 'Vocab', config: {} }))).toThrow(
      /class_name must be "Tokenizer", got "Vocab"/,
    );
    expect(() =>
      Tokenizer.fromJson(
        mutate((c) => {
          c.word_index = { a: 1 };
        }),
      ),
    ).toThrow(/config.word_index must be a JSON string/);
    expect(() =>
      Tokenizer.fromJson(
        mutate((c) => {
          c.word_index = '{"a": "one"}';
        }),
      ),
    ).toThrow(/word_index\["a"\] must be a positive integer, got "one"/);
    expect(() =>
      Tokenizer.fromJson(
        mutate((c) => {
          c.index_word = '{"x": "a"}';
        }),
      ),
    ).toThrow(/index_word key "x" must be a positive integer index/);
    expect(() =>
      Tokenizer.fromJson(
        mutate((c) => {
          c.word_counts = '{"a": 1';
        }),
      ),
    ).toThrow(/config.word_counts: expected ',' or '}'/);
    expect(() =>
      Tokenizer.fromJson(
        mutate((c) => {
          c.num_words = 'ten';
        }),
      ),
    ).toThrow(/config.num_words must be null or a non-negative integer, got "ten"/);
    expect(() =>
      Tokenizer.fromJson(
        mutate((c) => {
          c.index_word = '{"1": "b", "2": "a"}';
        }),
      ),
    ).toThrow(/word_index and config.index_word disagree/);
  });
});
