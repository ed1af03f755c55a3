import { describe, expect, it } from 'vitest';

import { fixtureJson } from '../__fixtures__/load_fixture.js';
import { padSequences, type PadSequencesOptions } from './pad_sequences.js';

const fixture = fixtureJson<{
  pad_sequences: {
    name: string;
    sequences: number[][];
    options: Record<string, unknown>;
    expected: number[][];
  }[];
}>('keras_tokenizer.json', { pad_sequences: 4 }); // PAD_CASES of tools/fixtures/tokenizers.py

describe('padSequences matches the port of keras_preprocessing pad_sequences (fixture)', () => {
  for (const c of fixture.pad_sequences) {
    it(c.name, () => {
      // The fixture keeps Keras's argument names; rnnkit spells maxlen as maxLength.
      const { maxlen, ...rest } = c.options;
      const options = (maxlen === undefined ? rest : { ...rest, maxLength: maxlen }) as PadSequencesOptions;
      expect(padSequences(c.sequences, options)).toEqual(c.expected);
    });
  }

  it('hand-checked: defaults pad and truncate at the front: [[1,2,3],[4]] maxLength 2 -> [[2,3],[0,4]]', () => {
    expect(padSequences([[1, 2, 3], [4]], { maxLength: 2 })).toEqual([
      [2, 3],
      [0, 4],
    ]);
  });

  it("Keras's maxlen is an error that suggests maxLength", () => {
    expect(() => padSequences([[1]], { maxlen: 5 } as unknown as PadSequencesOptions)).toThrow(
      'padSequences: unknown option "maxlen" — did you mean "maxLength"?',
    );
  });

  it('an empty batch gives []', () => {
    expect(padSequences([])).toEqual([]);
  });

  it('rejects bad options and values', () => {
    expect(() => padSequences([[1]], { padding: 'left' as 'pre' })).toThrow(
      /padding must be 'pre' or 'post', got "left"/,
    );
    expect(() => padSequences([[1]], { maxLength: 0 })).toThrow(
      /maxLength must be a positive integer or null, got 0/,
    );
    expect(() => padSequences([[1, 2.5]])).toThrow(
      /sequences\[0\]\[1\] must be an integer \(dtype int32\), got 2.5/,
    );
    expect(padSequences([[1, 2.5]], { dtype: 'float32', value: -0.5 })).toEqual([[1, 2.5]]);
    expect(() => padSequences([[1], 'ab' as unknown as number[]])).toThrow(/sequences\[1\] must be an array/);
    expect(() => padSequences([[NaN]], { dtype: 'float32' })).toThrow(/must be a finite number, got NaN/);
  });
});
