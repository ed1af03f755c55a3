import { describe, expect, it } from 'vitest';

import {
  collapseWhitespace,
  removeWhitespace,
  splitWhitespace,
  stripTrailingWhitespace,
} from './python_whitespace.js';

// Expected values are Python 3.11's str.split(), rstrip() and ' '.join(s.split()).
describe('Python whitespace', () => {
  it("splits on str.isspace characters, not on JavaScript's \\s", () => {
    expect(splitWhitespace('a\x1cb\x85c\u00a0d\u3000e\u2028f')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // U+FEFF is \s in JavaScript but not whitespace in Python; U+200B is neither.
    expect(splitWhitespace('a\ufeffb c\u200bd')).toEqual(['a\ufeffb', 'c\u200bd']);
    expect(splitWhitespace('  \t\n ')).toEqual([]);
  });

  it('strips, collapses and removes the same set', () => {
    expect(stripTrailingWhitespace(' a b \x1f\n')).toBe(' a b');
    expect(collapseWhitespace('\u2009 a \t b\x85')).toBe('a b');
    expect(removeWhitespace(' a b\u3000c ')).toBe('abc');
  });
});
