import { describe, expect, it } from 'vitest';
import { splitByKey, stratifiedSplit, type DatasetSplits } from './split.js';
import { hashToUnit, stableHash } from './stable_hash.js';
import { permutation, shuffled } from './shuffle.js';

const items = Array.from({ length: 2000 }, (_, i) => ({
  id: `doc-${i}`,
  label: i % 5 === 0 ? 'spam' : 'ham',
}));
const ids = (xs: { id: string }[]) => new Set(xs.map((x) => x.id));

function expectDisjoint(a: Set<string>, b: Set<string>) {
  for (const x of a) expect(b.has(x), `${x} is in both splits`).toBe(false);
}

function expectSplitsDisjoint(s: DatasetSplits<{ id: string }>) {
  expectDisjoint(ids(s.train), ids(s.test));
  expectDisjoint(ids(s.train), ids(s.validation));
  expectDisjoint(ids(s.validation), ids(s.test));
}

describe('stableHash', () => {
  it('is deterministic, seed-dependent and spreads keys over [0, 1)', () => {
    expect(stableHash('abc')).toBe(stableHash('abc'));
    expect(stableHash('abc', 1)).not.toBe(stableHash('abc', 2));
    const us = items.map((x) => hashToUnit(x.id));
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
    const low = us.filter((u) => u < 0.5).length;
    expect(low).toBeGreaterThan(900);
    expect(low).toBeLessThan(1100);
  });
});

describe('shuffled / permutation', () => {
  it('is reproducible for a seed, differs across seeds, and leaves the input alone', () => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(input, 3);
    expect(shuffled(input, 3)).toEqual(a);
    expect(shuffled(input, 4)).not.toEqual(a);
    expect(input).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(input);
    expect(permutation(50, 3)).toEqual(a);
  });
});

describe('splitByKey', () => {
  it('gives disjoint splits of about the requested sizes, reproducibly', () => {
    const s = splitByKey(items, { key: (x) => x.id, validation: 0.1, test: 0.2, seed: 5 });
    expect(s.train.length + s.validation.length + s.test.length).toBe(items.length);
    expectSplitsDisjoint(s);
    expect(s.test.length).toBeGreaterThan(340);
    expect(s.test.length).toBeLessThan(460);
    expect(splitByKey(items, { key: (x) => x.id, validation: 0.1, test: 0.2, seed: 5 })).toEqual(s);
  });

  it('keeps an example in its split when the data set grows, and duplicates together', () => {
    const small = splitByKey(items.slice(0, 1000), { key: (x) => x.id, test: 0.2 });
    const large = splitByKey([...items, ...items.slice(0, 10)], { key: (x) => x.id, test: 0.2 });
    const largeTest = ids(large.test);
    for (const x of small.test) expect(largeTest.has(x.id)).toBe(true);
    expectDisjoint(ids(large.train), largeTest);
  });

  it('rejects fractions that do not add up', () => {
    expect(() => splitByKey(items, { key: (x) => x.id, validation: 0.6, test: 0.5 })).toThrow(
      /validation \+ test must be at most 1, got 0.6 \+ 0.5/,
    );
    expect(() => splitByKey(items, { key: (x) => x.id, test: -0.1 })).toThrow(
      /test must be a fraction in \[0, 1\], got -0.1/,
    );
  });
});

describe('stratifiedSplit', () => {
  it('splits each class in the requested proportion, disjointly', () => {
    const split = (seed: number) =>
      stratifiedSplit(items, { key: (x) => x.id, label: (x) => x.label, validation: 0.1, test: 0.1, seed });
    const s = split(1);
    const count = (xs: typeof items, label: string) => xs.filter((x) => x.label === label).length;
    expect(count(s.test, 'spam')).toBe(40);
    expect(count(s.test, 'ham')).toBe(160);
    expect(count(s.validation, 'spam')).toBe(40);
    expect(count(s.train, 'spam')).toBe(320);
    expectSplitsDisjoint(s);
    expect(ids(split(2).test)).not.toEqual(ids(s.test));
  });

  it('never puts copies of one key on both sides', () => {
    const withDupes = [...items.slice(0, 100), ...items.slice(0, 100), ...items.slice(0, 100)];
    const s = stratifiedSplit(withDupes, { key: (x) => x.id, label: (x) => x.label, test: 0.3 });
    expectDisjoint(ids(s.train), ids(s.test));
    expect(s.train.length + s.test.length).toBe(300);
  });
});
