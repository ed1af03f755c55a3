import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { hashToUnit } from './stable_hash.js';

/** Fractions of the data that go to validation and test; the rest is training data. */
export interface SplitFractions {
  validation?: number;
  test?: number;
}

export interface DatasetSplits<T> {
  train: T[];
  validation: T[];
  test: T[];
}

export interface SplitByKeyOptions<T> extends SplitFractions {
  /** A stable identity for each example (file path, id, content hash). Equal keys always land in the same split. */
  key: (item: T, index: number) => string;
  /** Changes which keys go where; the same seed always gives the same assignment. Default 0. */
  seed?: number;
}

export interface StratifiedSplitOptions<T> extends SplitByKeyOptions<T> {
  /** The class of each example; every class is split in the same proportions. */
  label: (item: T, index: number) => string | number;
}

const SPLIT_BY_KEY_OPTIONS = optionKeys<SplitByKeyOptions<unknown>>({
  validation: true,
  test: true,
  key: true,
  seed: true,
});
const STRATIFIED_SPLIT_OPTIONS = optionKeys<StratifiedSplitOptions<unknown>>({
  validation: true,
  test: true,
  key: true,
  seed: true,
  label: true,
});

function checkFractions(fn: string, fractions: SplitFractions): { validation: number; test: number } {
  const validation = fractions.validation ?? 0;
  const test = fractions.test ?? 0;
  for (const [name, value] of [
    ['validation', validation],
    ['test', test],
  ] as const) {
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new Error(`${fn}: ${name} must be a fraction in [0, 1], got ${value}`);
    }
  }
  if (validation + test > 1) {
    throw new Error(
      `${fn}: validation + test must be at most 1, got ${validation} + ${test} = ${validation + test}`,
    );
  }
  return { validation, test };
}

/**
 * Splits by hashing each example's key: an example's split depends only on its key and the seed, so
 * it never moves when examples are added or removed, and duplicates (equal keys) cannot straddle
 * train and test. Split sizes are close to, not exactly, the requested fractions.
 */
export function splitByKey<T>(items: readonly T[], options: SplitByKeyOptions<T>): DatasetSplits<T> {
  checkOptions('splitByKey', options, SPLIT_BY_KEY_OPTIONS);
  const { validation, test } = checkFractions('splitByKey', options);
  const seed = options.seed ?? 0;
  const out: DatasetSplits<T> = { train: [], validation: [], test: [] };
  items.forEach((item, i) => {
    const u = hashToUnit(options.key(item, i), seed);
    if (u < test) out.test.push(item);
    else if (u < test + validation) out.validation.push(item);
    else out.train.push(item);
  });
  return out;
}

/**
 * Splits every class in the requested proportions (exact counts per class, rounded), ordering each
 * class by the hash of the key. Examples sharing a key are kept together so no key appears in two
 * splits. Output keeps the input order within each split.
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  options: StratifiedSplitOptions<T>,
): DatasetSplits<T> {
  checkOptions('stratifiedSplit', options, STRATIFIED_SPLIT_OPTIONS);
  const { validation, test } = checkFractions('stratifiedSplit', options);
  const seed = options.seed ?? 0;
  // label -> key -> item indices
  const classes = new Map<string, Map<string, number[]>>();
  const keyLabel = new Map<string, string>();
  items.forEach((item, i) => {
    const label = String(options.label(item, i));
    const key = options.key(item, i);
    const previous = keyLabel.get(key);
    // A key with two labels would have to be in one class's split, so it is assigned with its first label.
    const cls = previous ?? label;
    keyLabel.set(key, cls);
    let groups = classes.get(cls);
    if (!groups) classes.set(cls, (groups = new Map()));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(i);
  });
  const assignment = new Uint8Array(items.length); // 0 train, 1 validation, 2 test
  for (const groups of classes.values()) {
    const keys = [...groups.keys()]
      .map((key) => ({ key, h: hashToUnit(key, seed) }))
      .sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const nTest = Math.round(keys.length * test);
    const nValidation = Math.min(keys.length - nTest, Math.round(keys.length * validation));
    keys.forEach(({ key }, rank) => {
      const split = rank < nTest ? 2 : rank < nTest + nValidation ? 1 : 0;
      const members = groups.get(key);
      if (members === undefined)
        throw new Error(`splitDataset: group ${JSON.stringify(key)} vanished from its class`);
      for (const i of members) assignment[i] = split;
    });
  }
  const out: DatasetSplits<T> = { train: [], validation: [], test: [] };
  items.forEach((item, i) => {
    const split = assignment[i];
    (split === 2 ? out.test : split === 1 ? out.validation : out.train).push(item);
  });
  return out;
}
