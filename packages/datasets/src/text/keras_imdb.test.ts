import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeKerasImdb,
  invertKerasImdbWordIndex,
  loadKerasImdb,
  loadKerasImdbWordIndex,
  type KerasImdbOptions,
} from './keras_imdb.js';

const fixture = (name: string) => fileURLToPath(new URL(`../__fixtures__/${name}`, import.meta.url));

interface Case {
  options: Record<string, number | null>;
  train: { x: number[][]; y: number[] };
  test: { x: number[][]; y: number[] };
}
const expected = JSON.parse(readFileSync(fixture('keras_imdb_expected.json'), 'utf8')) as { cases: Case[] };

function toOptions(py: Record<string, number | null>): KerasImdbOptions {
  const names: Record<string, keyof KerasImdbOptions> = {
    num_words: 'numWords',
    skip_top: 'skipTop',
    maxlen: 'maxLength',
    seed: 'seed',
    start_char: 'startChar',
    oov_char: 'oovChar',
    index_from: 'indexFrom',
  };
  return Object.fromEntries(Object.entries(py).map(([k, v]) => [names[k]!, v])) as KerasImdbOptions;
}

describe('loadKerasImdb', () => {
  // it.each over an emptied fixture would collect no tests and pass.
  it('has the 8 option sets tools/fixtures/datasets.py writes', () => {
    expect(expected.cases).toHaveLength(8);
  });

  it.each(expected.cases.map((c) => [JSON.stringify(c.options), c] as const))(
    'matches keras.datasets.imdb.load_data(%s) on an imdb.npz-shaped file',
    async (_label, c) => {
      const data = await loadKerasImdb(fixture('keras_imdb_small.npz'), toOptions(c.options));
      expect(data.train).toEqual(c.train);
      expect(data.test).toEqual(c.test);
    },
  );

  it('reads the same data from a protocol-2 pickled, deflated archive', async () => {
    const a = await loadKerasImdb(fixture('keras_imdb_small.npz'));
    const b = await loadKerasImdb(new Uint8Array(readFileSync(fixture('keras_imdb_py2.npz'))));
    expect(b).toEqual(a);
  });

  it('explains a missing file, a missing array and a maxlen that keeps nothing', async () => {
    await expect(loadKerasImdb('/nonexistent/imdb.npz')).rejects.toThrow(
      /loadKerasImdb: cannot read \/nonexistent\/imdb\.npz \(ENOENT\)/,
    );
    await expect(loadKerasImdb(fixture('numpy_dtypes.npz'))).rejects.toThrow(
      /has no 'x_train' array \(found: /,
    );
    await expect(loadKerasImdb(fixture('keras_imdb_small.npz'), { maxLength: 2 })).rejects.toThrow(
      /no sequence was left; increase maxLength/,
    );
  });
});

describe('decodeKerasImdb', () => {
  it('turns ids back into words with the offsets load_data used', async () => {
    const wordIndex = await loadKerasImdbWordIndex(fixture('keras_imdb_word_index.json'));
    // rank 1 'the' -> id 4, rank 2 'and' -> 5, rank 4 'of' -> 7
    expect(decodeKerasImdb([1, 4, 5, 7, 2, 0, 0], wordIndex)).toBe('[START] the and of [OOV]');
    const inverted = invertKerasImdbWordIndex(wordIndex, { indexFrom: 0, startChar: null, oovChar: null });
    expect(decodeKerasImdb([1, 2], inverted, { oovToken: '?' })).toBe('the and');
  });

  it('decodes the first fixture review to the words of its ranks', async () => {
    const wordIndex = await loadKerasImdbWordIndex(fixture('keras_imdb_word_index.json'));
    const byRank = new Map([...wordIndex].map(([w, r]) => [r, w]));
    const plain = expected.cases.find((c) => c.options.start_char === null && c.options.index_from === 0)!;
    const text = decodeKerasImdb(plain.train.x[0]!, wordIndex, {
      indexFrom: 0,
      startChar: null,
      oovChar: null,
    });
    expect(text).toBe(plain.train.x[0]!.map((r) => byRank.get(r)).join(' '));
  });

  it('rejects a word index that is not word -> integer', async () => {
    await expect(loadKerasImdbWordIndex(fixture('numpy_dtypes.json'))).rejects.toThrow(
      /index of 'b1' must be a non-negative integer/,
    );
  });
});
