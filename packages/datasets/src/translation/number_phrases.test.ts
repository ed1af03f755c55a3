import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateNumberPhrases, numberSpeller, pairsToTsv } from './number_phrases.js';
import { loadTabSeparatedPairs } from './tab_separated_pairs.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('numberSpeller', () => {
  it('spells numbers in each language (n2words), German reordering units and tens', async () => {
    const [en, fr, de, es] = await Promise.all(['en', 'fr', 'de', 'es'].map((l) => numberSpeller(l as 'en')));
    expect(en!(21)).toBe('twenty-one');
    expect(fr!(71)).toBe('soixante et onze');
    expect(de!(21)).toBe('einundzwanzig');
    expect(es!(1234)).toBe('mil doscientos treinta y cuatro');
    expect((await numberSpeller('spaced-digits'))(905)).toBe('9 0 5');
    await expect(numberSpeller('xx' as 'en')).rejects.toThrow(
      /unknown language 'xx'; expected one of en, en-GB, fr/,
    );
  });
});

describe('generateNumberPhrases', () => {
  it('puts every number in exactly one split, held-out numbers only in test', async () => {
    const heldOut = [1000, 2000, 3000, 4321];
    const s = await generateNumberPhrases({ source: 'en', target: 'de', maxNumber: 4999, heldOut, seed: 9 });
    const nums = (xs: { number: number }[]) => new Set(xs.map((x) => x.number));
    const train = nums(s.train);
    const validation = nums(s.validation);
    const test = nums(s.test);
    expect(train.size + validation.size + test.size).toBe(5000);
    for (const n of test) {
      expect(train.has(n)).toBe(false);
      expect(validation.has(n)).toBe(false);
    }
    for (const n of validation) expect(train.has(n)).toBe(false);
    expect(test.size).toBe(500);
    for (const n of heldOut) expect(test.has(n)).toBe(true);
    const p =
      s.train.find((x) => x.number === 21) ??
      s.validation.find((x) => x.number === 21) ??
      s.test.find((x) => x.number === 21)!;
    expect([p.source, p.target]).toEqual(['twenty-one', 'einundzwanzig']);
  });

  it('gives the same bytes for the same seed and different bytes for another', async () => {
    const make = async (seed: number) => {
      const s = await generateNumberPhrases({
        source: 'en',
        target: 'fr',
        maxNumber: 2999,
        trainSize: 1000,
        seed,
      });
      return [pairsToTsv(s.train), pairsToTsv(s.validation), pairsToTsv(s.test)].join('---\n');
    };
    const a = await make(42);
    expect(sha(await make(42))).toBe(sha(a));
    expect(sha(await make(43))).not.toBe(sha(a));
  });

  it('writes TSV that loadTabSeparatedPairs reads back', async () => {
    const s = await generateNumberPhrases({
      source: 'fr',
      target: 'digits',
      maxNumber: 99,
      testSize: 10,
      validationSize: 0,
    });
    const path = join(mkdtempSync(join(tmpdir(), 'rnnkit-numbers-')), 'train.tsv');
    writeFileSync(path, pairsToTsv(s.train));
    const { pairs } = await loadTabSeparatedPairs(path, { deduplicate: 'none' });
    expect(pairs.map((p) => [p.source, p.target])).toEqual(s.train.map((p) => [p.source, p.target]));
    expect(s.train).toHaveLength(90);
  });

  it('rejects sizes that do not fit', async () => {
    await expect(generateNumberPhrases({ maxNumber: 9, trainSize: 10 })).rejects.toThrow(
      /trainSize 10 \+ validationSize 1 \+ testSize 1 exceeds the 10 numbers in \[0, 9\]/,
    );
    await expect(generateNumberPhrases({ maxNumber: 9, heldOut: [12] })).rejects.toThrow(
      /heldOut number 12 is outside \[0, 9\]/,
    );
  });
});
