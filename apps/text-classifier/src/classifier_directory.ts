import { openModelDirectory, UsageError, type ModelDirectory } from '@rnnkit/app-kit';
import type { Sequential } from '@rnnkit/rnn-layers';
import { Tokenizer } from '@rnnkit/tokenizers';

import type { DataSettings } from './data.js';
import { APP_KIND, type ModelSettings } from './settings.js';

export const TOKENIZER_FILE = 'tokenizer.json';

/** config.json of a classifier directory, after app-kit's header. */
export interface ClassifierConfig {
  model: ModelSettings;
  seed: number;
  labels: string[];
  tokenizer: { kind: 'word'; file: string; numWords: number; oovToken: string | null };
  data: DataSettings;
}

export interface OpenedClassifier {
  directory: ModelDirectory<ClassifierConfig>;
  network: Sequential;
  tokenizer: Tokenizer;
}

/** Opens a classifier directory written by `train`, with its network and tokenizer. */
export async function openClassifier(dir: string): Promise<OpenedClassifier> {
  const directory = await openModelDirectory<ClassifierConfig>(dir, APP_KIND);
  const network = await directory.loadNetwork();
  let tokenizer: Tokenizer;
  try {
    tokenizer = Tokenizer.fromJson(await directory.readText(TOKENIZER_FILE));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--model ${dir}: ${TOKENIZER_FILE} is damaged (${(error as Error).message})`);
  }
  return { directory, network, tokenizer };
}

/** Class probabilities per text, [1 − p, p] for a sigmoid output. */
export async function predictProbabilities(network: Sequential, ids: number[][], batchSize = 128): Promise<number[][]> {
  const out = await network.predict(ids, { batchSize });
  const values = await out.data();
  const width = out.shape[1] ?? 1;
  out.dispose();
  const rows: number[][] = [];
  for (let i = 0; i < ids.length; i++) {
    if (width === 1) rows.push([1 - values[i]!, values[i]!]);
    else rows.push(Array.from(values.subarray(i * width, (i + 1) * width)));
  }
  return rows;
}
