import { describe, expect, it } from 'vitest';

import { HotwordMatcher, type HotwordState } from './hotword_matcher.js';

/** Feeds text one character at a time; ' ' is the word separator. */
function feed(matcher: HotwordMatcher, text: string): HotwordState {
  let state = matcher.start;
  for (const ch of text) state = matcher.advance(state, ch, ch === ' ');
  return state;
}

describe('HotwordMatcher', () => {
  const matcher = new HotwordMatcher(['cat', 'new  york', 'york'], 2);
  const bonus = (text: string) => matcher.partialBonus(feed(matcher, text));
  const final = (text: string) => matcher.finalBonus(feed(matcher, text));

  it('gives the matched fraction of a hotword started at a word boundary', () => {
    expect(bonus('')).toBe(0);
    expect(bonus('c')).toBeCloseTo((2 * 1) / 3, 12);
    expect(bonus('the ca')).toBeCloseTo((2 * 2) / 3, 12);
    // "new york" is 8 symbols, the separator counted once.
    expect(bonus('new y')).toBeCloseTo((2 * 5) / 8, 12);
    // Not at a word boundary: "scat" does not start "cat".
    expect(bonus('sca')).toBe(0);
    expect(bonus('ct')).toBe(0);
  });

  it('counts whole-word occurrences only', () => {
    expect(final('cat')).toBe(2);
    expect(final('the cat sat')).toBe(2);
    expect(final('cats')).toBe(0);
    expect(bonus('cats')).toBe(0);
    expect(final('cat cat')).toBe(4);
    // "new york" and the "york" inside it.
    expect(final('new york')).toBe(4);
    expect(bonus('cat ')).toBe(2);
    // A hypothesis still inside a hotword keeps no bonus at the end.
    expect(final('ca')).toBe(0);
  });

  it('advances through a label text of several characters', () => {
    const state = matcher.advance(matcher.start, 'ca', false);
    expect(matcher.partialBonus(state)).toBeCloseTo(4 / 3, 12);
  });
});
