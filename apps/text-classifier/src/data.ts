import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import {
  decodeKerasImdb,
  invertKerasImdbWordIndex,
  loadAclImdb,
  loadKerasImdb,
  loadKerasImdbWordIndex,
  loadSpamAssassin,
  loadTextLabelFile,
  shuffled,
  stratifiedSplit,
  SPAM_ASSASSIN_LABELS,
  type TextLabelData,
} from '@rnnkit/datasets';
import { UsageError } from '@rnnkit/app-kit';

export interface Example {
  text: string;
  label: number;
}

/** Examples kept of each split by `--quick` (stratified subsets). */
export interface SubsetSizes {
  train: number;
  validation: number;
  test: number;
}

/**
 * Where the data come from (stored in config.json, so `evaluate` rebuilds the same test split).
 * `validation` is the fraction of the training data held out for validation. Splits are drawn with
 * a fixed seed (0), not the training seed: every run of a data set is tested on the same examples.
 */
export type DataSettings =
  | {
      dataset: 'spamassassin';
      headers: 'keep' | 'strip';
      validation: number;
      test: number;
      subset: SubsetSizes | null;
    }
  | { dataset: 'imdb'; dataDir: string; validation: number; subset: SubsetSizes | null }
  | {
      dataset: 'file';
      train: string;
      test: string | null;
      textColumn: string;
      labelColumn: string;
      validation: number;
      testFraction: number;
    };

export const DATASETS = ['spamassassin', 'imdb'] as const;
const IMDB_LABELS = ['negative', 'positive'];
const SPLIT_SEED = 0;

export interface LoadedData {
  train: Example[];
  validation: Example[];
  test: Example[];
  labels: string[];
}

/** Loads the train, validation and test examples; bad data are UsageErrors that name the flag, the file and the problem. */
export async function loadData(settings: DataSettings): Promise<LoadedData> {
  const loaded =
    settings.dataset === 'spamassassin'
      ? await loadSpamAssassinSplits(settings)
      : settings.dataset === 'imdb'
        ? await loadImdbSplits(settings.dataDir, settings.validation)
        : await loadFileSplits(settings);
  // Shuffled: the loaders list examples by class or source, and the order reaches fit's first epoch.
  const data = { ...loaded, train: shuffled(loaded.train, SPLIT_SEED) };
  return 'subset' in settings && settings.subset ? takeSubset(data, settings.subset) : data;
}

async function loadSpamAssassinSplits(settings: {
  headers: 'keep' | 'strip';
  validation: number;
  test: number;
}): Promise<LoadedData> {
  // The data set's own split takes fractions of the whole corpus.
  const splits = await loadSpamAssassin({
    headers: settings.headers,
    validation: settings.validation * (1 - settings.test),
    test: settings.test,
    seed: SPLIT_SEED,
  });
  const examples = (list: typeof splits.train) => list.map((e) => ({ text: e.text, label: e.label }));
  return {
    train: examples(splits.train),
    validation: examples(splits.validation),
    test: examples(splits.test),
    labels: [...SPAM_ASSASSIN_LABELS],
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** `--data-dir`: an aclImdb/ tree (or the folder holding one), or Keras's imdb.npz with imdb_word_index.json. */
async function loadImdbSplits(dataDir: string, validation: number): Promise<LoadedData> {
  if (
    !(await stat(dataDir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    throw new UsageError(`--data-dir ${dataDir}: no such directory`);
  let train: Example[];
  let test: Example[];
  const aclRoot = (await exists(join(dataDir, 'aclImdb', 'train')))
    ? join(dataDir, 'aclImdb')
    : (await exists(join(dataDir, 'train', 'pos')))
      ? dataDir
      : null;
  try {
    if (aclRoot) {
      const acl = await loadAclImdb(aclRoot);
      const labelled = (list: typeof acl.train) =>
        list.flatMap((r) => (r.label === null ? [] : [{ text: r.text, label: r.label }]));
      train = labelled(acl.train);
      test = labelled(acl.test);
    } else if (
      (await exists(join(dataDir, 'imdb.npz'))) &&
      (await exists(join(dataDir, 'imdb_word_index.json')))
    ) {
      const keras = await loadKerasImdb(join(dataDir, 'imdb.npz'));
      const words = invertKerasImdbWordIndex(
        await loadKerasImdbWordIndex(join(dataDir, 'imdb_word_index.json')),
        { startToken: '', oovToken: '' },
      );
      const decode = (split: typeof keras.train) =>
        split.x.map((ids, i) => {
          const label = split.y[i];
          if (label === undefined)
            throw new Error(`imdb.npz: review ${i} has no label (${split.y.length} labels)`);
          return { text: decodeKerasImdb(ids, words).trim(), label };
        });
      train = decode(keras.train);
      test = decode(keras.test);
    } else {
      throw new UsageError(
        `--data-dir ${dataDir}: holds neither an aclImdb/ tree (train/pos, train/neg, test/…) nor Keras's imdb.npz with imdb_word_index.json`,
      );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--data-dir ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  if (train.length === 0 || test.length === 0)
    throw new UsageError(
      `--data-dir ${dataDir}: the IMDB ${train.length === 0 ? 'training' : 'test'} split has no labelled reviews`,
    );
  return { ...holdOut(train, validation), test, labels: IMDB_LABELS };
}

/** Reads a CSV/TSV/JSONL file of texts and labels; a bad or empty file is a UsageError naming `flag` and the file. */
export async function readLabelFile(
  flag: string,
  path: string,
  textColumn: string,
  labelColumn: string,
  labels?: readonly string[],
): Promise<TextLabelData> {
  let data: TextLabelData;
  try {
    data = await loadTextLabelFile(path, {
      textField: textColumn,
      labelField: labelColumn,
      ...(labels ? { labels } : {}),
    });
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${(error as Error).message.replace(/^loadTextLabelFile: /, '')}`, {
      cause: error,
    });
  }
  if (data.examples.length === 0) throw new UsageError(`${flag} ${path}: the file has no examples`);
  return data;
}

async function loadFileSplits(settings: Extract<DataSettings, { dataset: 'file' }>): Promise<LoadedData> {
  const file = await readLabelFile('--train', settings.train, settings.textColumn, settings.labelColumn);
  if (file.labels.length < 2) {
    throw new UsageError(
      `--train ${settings.train}: --label-column '${settings.labelColumn}' has a single class ('${file.labels[0]}'); a classifier needs at least two`,
    );
  }
  const examples = file.examples.map((e) => ({ text: e.text, label: e.label }));
  let trainPart = examples;
  let test: Example[];
  if (settings.test) {
    test = (
      await readLabelFile('--test', settings.test, settings.textColumn, settings.labelColumn, file.labels)
    ).examples.map((e) => ({ text: e.text, label: e.label }));
  } else {
    const splits = splitExamples(examples, 0, settings.testFraction);
    if (splits.train.length < 2 || splits.test.length === 0) {
      throw new UsageError(
        `--train ${settings.train}: ${examples.length} examples are too few to split off a test set; give --test FILE`,
      );
    }
    trainPart = splits.train;
    test = splits.test;
  }
  return { ...holdOut(trainPart, settings.validation), test, labels: file.labels };
}

/** A stratified split keyed by position (a file's examples have no ids). */
function splitExamples(examples: Example[], validation: number, test: number) {
  return stratifiedSplit(examples, {
    key: (_, i) => String(i),
    label: (e) => e.label,
    validation,
    test,
    seed: SPLIT_SEED,
  });
}

function holdOut(examples: Example[], validation: number): { train: Example[]; validation: Example[] } {
  const splits = splitExamples(examples, validation, 0);
  return { train: splits.train, validation: splits.validation };
}

function takeSubset(data: LoadedData, sizes: SubsetSizes): LoadedData {
  return {
    train: data.train.slice(0, sizes.train),
    validation: shuffled(data.validation, SPLIT_SEED).slice(0, sizes.validation),
    test: shuffled(data.test, SPLIT_SEED).slice(0, sizes.test),
    labels: data.labels,
  };
}
