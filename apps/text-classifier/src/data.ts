import { loadSpamAssassin, loadTextLabelFile, shuffled, SPAM_ASSASSIN_LABELS, type TextLabelData } from '@rnnkit/datasets';
import { UsageError } from '@rnnkit/app-kit';

import { QUICK_TEST_EXAMPLES, QUICK_TRAIN_EXAMPLES } from './settings.js';

export interface Example {
  text: string;
  label: number;
}

/** Where the data come from (stored in config.json, so `evaluate` rebuilds the same test split). */
export type DataSettings =
  | { dataset: 'spamassassin'; headers: 'strip'; test: number; seed: number; subset: { train: number; test: number } | null }
  | { dataset: 'file'; train: string; test: string | null; textColumn: string; labelColumn: string; test_fraction: number; seed: number };

export interface LoadedData {
  train: Example[];
  test: Example[];
  labels: string[];
}

async function readLabelFile(flag: string, path: string, textColumn: string, labelColumn: string, labels?: readonly string[]): Promise<TextLabelData> {
  let data: TextLabelData;
  try {
    data = await loadTextLabelFile(path, { textField: textColumn, labelField: labelColumn, ...(labels ? { labels } : {}) });
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${(error as Error).message.replace(/^loadTextLabelFile: /, '')}`, { cause: error });
  }
  if (data.examples.length === 0) throw new UsageError(`${flag} ${path}: the file has no examples`);
  return data;
}

/** Loads train and test examples; bad files are UsageErrors that name the flag, the file and the problem. */
export async function loadData(settings: DataSettings): Promise<LoadedData> {
  if (settings.dataset === 'spamassassin') {
    const splits = await loadSpamAssassin({ headers: settings.headers, validation: 0, test: settings.test, seed: settings.seed });
    // Shuffled with the seed: the split lists examples by group, and fit's validation split takes the last ones.
    let train = shuffled(splits.train, settings.seed).map((e) => ({ text: e.text, label: e.label }));
    let test = splits.test.map((e) => ({ text: e.text, label: e.label }));
    if (settings.subset) {
      train = train.slice(0, settings.subset.train);
      test = shuffled(test, settings.seed).slice(0, settings.subset.test);
    }
    return { train, test, labels: [...SPAM_ASSASSIN_LABELS] };
  }
  const train = await readLabelFile('--train', settings.train, settings.textColumn, settings.labelColumn);
  if (train.labels.length < 2) {
    throw new UsageError(`--train ${settings.train}: --label-column '${settings.labelColumn}' has a single class ('${train.labels[0]}'); a classifier needs at least two`);
  }
  const examples = shuffled(train.examples, settings.seed).map((e) => ({ text: e.text, label: e.label }));
  if (settings.test) {
    const test = await readLabelFile('--test', settings.test, settings.textColumn, settings.labelColumn, train.labels);
    return { train: examples, test: test.examples.map((e) => ({ text: e.text, label: e.label })), labels: train.labels };
  }
  const cut = Math.max(1, Math.round(examples.length * settings.test_fraction));
  if (examples.length - cut < 2) throw new UsageError(`--train ${settings.train}: ${examples.length} examples are too few to split off a test set; give --test FILE`);
  return { train: examples.slice(cut), test: examples.slice(0, cut), labels: train.labels };
}

export function quickSubset(): { train: number; test: number } {
  return { train: QUICK_TRAIN_EXAMPLES, test: QUICK_TEST_EXAMPLES };
}
