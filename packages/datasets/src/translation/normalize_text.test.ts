import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize_text.js';

describe('normalizeText', () => {
  it('composes accents (NFC) and collapses whitespace by default', () => {
    expect(normalizeText('  Cafe\u0301 \t au   lait ')).toBe('Caf\u00e9 au lait');
    expect(normalizeText('e\u0301', { unicode: 'none' })).toBe('e\u0301');
  });

  it('folds compatibility forms with NFKC', () => {
    expect(normalizeText('\ufb01n \u2460', { unicode: 'NFKC' })).toBe('fin 1');
    expect(normalizeText('\ufb01n', { unicode: 'NFC' })).toBe('\ufb01n');
  });

  it('lower-cases and spaces punctuation but keeps word-internal apostrophes and hyphens', () => {
    const opts = { lowercase: true, spacePunctuation: true } as const;
    expect(normalizeText("Don't go, Tom!", opts)).toBe("don't go , tom !");
    expect(normalizeText('Vingt-trois « oui » ?', opts)).toBe('vingt-trois « oui » ?');
    expect(normalizeText('Go.', opts)).toBe('go .');
    expect(normalizeText("'Quoted'", opts)).toBe("' quoted '");
  });
});
