import { describe, expect, it } from 'vitest';

import { fuzzParser } from '@rnnkit/tensor-core/testing/fuzz';
import { Tokenizer } from './tokenizer.js';

// A small Keras-shaped tokenizer file keeps each run cheap; the committed Keras fixture is 33 KB.
const json = new Tokenizer({ oovToken: '<oov>' })
  .fitOnTexts(['the cat sat on the mat', 'the dog ate the cat', 'a cat'])
  .toJson();
const base = new TextEncoder().encode(json);

describe('Tokenizer.fromJson under seeded mutation', () => {
  it('throws a Tokenizer error or loads a consistent vocabulary', () => {
    const tally = fuzzParser({
      name: 'Tokenizer.fromJson (Keras tokenizer JSON)',
      bases: [base],
      parse: (bytes) => {
        const t = Tokenizer.fromJson(new TextDecoder().decode(bytes));
        // Whatever was accepted must be self-consistent: every index maps back to its word.
        for (const [i, w] of t.indexWord)
          if (t.wordIndex.get(w) !== i && !(w === t.oovToken && i === 1))
            throw new Error(`inconsistent: ${i} ${w}`);
        return t;
      },
      project: (t) => t.toJson(),
      errorPattern: /^Tokenizer(\.fromJson)?: /,
      seed: 6,
      ciRuns: 300,
    });
    expect(tally.otherExamples).toEqual([]);
  });

  it('rejects an index_word entry that word_index lacks, naming the entry', () => {
    const doc = JSON.parse(json) as { config: Record<string, string> };
    const indexWord = JSON.parse(doc.config.index_word!) as Record<string, string>;
    indexWord['99'] = 'zebra';
    doc.config.index_word = JSON.stringify(indexWord);
    expect(() => Tokenizer.fromJson(JSON.stringify(doc))).toThrow(
      /config\.index_word\["99"\] = "zebra" but config\.word_index\["zebra"\] = undefined; expected 99/,
    );
  });

  it('gives a clear error for JSON nested 100,000 deep', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => Tokenizer.fromJson(deep)).toThrow(/^Tokenizer\.fromJson: expected an object/);
    const nestedConfig = `{"class_name": "Tokenizer", "config": ${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expect(() => Tokenizer.fromJson(nestedConfig)).toThrow(/^Tokenizer\.fromJson: /);
  });

  it('type-checks boolean options', () => {
    expect(() => new Tokenizer({ lower: 'no' as never })).toThrow(
      /Tokenizer: lower must be a boolean, got "no"/,
    );
    expect(() => new Tokenizer({ charLevel: 1 as never })).toThrow(
      /Tokenizer: charLevel must be a boolean, got 1/,
    );
  });
});
