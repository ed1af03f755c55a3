import { describe, expect, it } from 'vitest';

import { expectValidAlignment } from './__fixtures__/alignment_checks.js';
import { editAlignment } from './edit_alignment.js';

/** Plain dynamic-programming distance, independent of the implementation under test. */
function levenshtein<T>(a: readonly T[], b: readonly T[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(Math.min(prev[j]! + 1, next[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = next;
  }
  return prev[b.length]!;
}

describe('editAlignment', () => {
  it('aligns identical, empty and disjoint sequences', () => {
    expect(editAlignment(['a', 'b'], ['a', 'b'])).toEqual({
      distance: 0,
      hits: 2,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      chunks: [{ type: 'equal', refStart: 0, refEnd: 2, hypStart: 0, hypEnd: 2 }],
    });
    expect(editAlignment([], [])).toEqual({
      distance: 0,
      hits: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      chunks: [],
    });
    expect(editAlignment(['a', 'b'], []).chunks).toEqual([
      { type: 'delete', refStart: 0, refEnd: 2, hypStart: 0, hypEnd: 0 },
    ]);
    expect(editAlignment([], ['x']).chunks).toEqual([
      { type: 'insert', refStart: 0, refEnd: 0, hypStart: 0, hypEnd: 1 },
    ]);
    expect(editAlignment(['a', 'b'], ['c', 'd']).chunks).toEqual([
      { type: 'substitute', refStart: 0, refEnd: 2, hypStart: 0, hypEnd: 2 },
    ]);
  });

  it('groups runs into jiwer-style chunks', () => {
    const ref = 'a b c d e f'.split(' ');
    const hyp = 'a x c e f g'.split(' ');
    const a = editAlignment(ref, hyp);
    expectValidAlignment(ref, hyp, a);
    expect(a.distance).toBe(3);
    expect(a.chunks.map((c) => c.type)).toEqual([
      'equal',
      'substitute',
      'equal',
      'delete',
      'equal',
      'insert',
    ]);
    expect(a.chunks[4]).toEqual({ type: 'equal', refStart: 4, refEnd: 6, hypStart: 3, hypEnd: 5 });
  });

  it('finds the minimum distance and a valid alignment on random sequences (ties abound)', () => {
    let seed = 7;
    const random = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    for (let trial = 0; trial < 400; trial++) {
      const ref = Array.from({ length: random(9) }, () => 'abc'[random(3)]!);
      const hyp = Array.from({ length: random(9) }, () => 'abc'[random(3)]!);
      const a = editAlignment(ref, hyp);
      expect(a.distance).toBe(levenshtein(ref, hyp));
      expectValidAlignment(ref, hyp, a);
    }
  });

  it('refuses a pair too large to align, naming the caller', () => {
    const long = new Array<number>(20_000).fill(0);
    const other = new Array<number>(20_000).fill(1);
    expect(() => editAlignment(long, other, 'charErrorRate: pair 3')).toThrow(
      /^charErrorRate: pair 3: aligning 20000 reference tokens with 20000 hypothesis tokens needs 20001×20001 cost cells/,
    );
  });
});
