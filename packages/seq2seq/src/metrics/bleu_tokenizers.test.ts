import { describe, expect, it } from 'vitest';

import { loadSacrebleuFixture } from './__fixtures__/load_metrics_fixtures.js';
import { BLEU_TOKENIZERS, bleuTokenize } from './bleu_tokenizers.js';

const fixture = loadSacrebleuFixture();

describe('bleuTokenize against sacreBLEU', () => {
  for (const tokenizer of BLEU_TOKENIZERS) {
    it(`'${tokenizer}' gives sacreBLEU's output on every fixture line`, () => {
      const expected = fixture.tokenizers[tokenizer];
      expect(expected).toHaveLength(fixture.tokenizerInputs.length);
      const actual = fixture.tokenizerInputs.map((text) => bleuTokenize(text, tokenizer));
      expect(actual).toEqual(expected);
    });
  }

  it('defaults to 13a', () => {
    expect(bleuTokenize('It ends in 2020.')).toBe('It ends in 2020 .');
  });

  it('splits code points, not UTF-16 units', () => {
    expect(bleuTokenize('a😀', 'char')).toBe('a 😀');
    expect(bleuTokenize('😀.x', '13a')).toBe('😀 . x');
  });

  it('rejects an unknown tokenizer and a non-string text', () => {
    expect(() => bleuTokenize('x', 'zh' as never)).toThrow(
      "bleuTokenize: tokenizer must be one of 'none', '13a', 'intl', 'char', got \"zh\"",
    );
    expect(() => bleuTokenize(3 as never)).toThrow('bleuTokenize: text must be a string, got 3');
  });
});
