import { describe, expect, it } from 'vitest';

import { textToWordSequence } from './text_to_word_sequence.js';

describe('textToWordSequence (Keras text_to_word_sequence)', () => {
  it('hand-checked: "Hello, World!\\tIt\'s  me" -> ["hello", "world", "it\'s", "me"]', () => {
    expect(textToWordSequence("Hello, World!\tIt's  me")).toEqual(['hello', 'world', "it's", 'me']);
  });

  it('custom filters, split and no lower-casing', () => {
    expect(textToWordSequence('A;B;;c.d', { filters: '.', split: ';', lower: false })).toEqual([
      'A',
      'B',
      'c',
      'd',
    ]);
  });

  it('rejects an empty split and lone surrogates', () => {
    expect(() => textToWordSequence('a b', { split: '' })).toThrow(/split must be a non-empty string/);
    expect(() => textToWordSequence('\uD800')).toThrow(/lone UTF-16 surrogate/);
  });
});
