import { openModelDirectory, UsageError, type ModelDirectory } from '@rnnkit/app-kit';
import type { Sequential } from '@rnnkit/rnn-layers';

import type { DataSettings } from './data.js';
import { APP_KIND, type ModelSettings } from './settings.js';
import { readTextEncoder, type TextEncoder, type TokenizerKind } from './text_encoder.js';

/** config.json of a classifier directory, after app-kit's header. */
export interface ClassifierConfig {
  model: ModelSettings;
  seed: number;
  labels: string[];
  tokenizer: { kind: TokenizerKind; file: string; vocab: number };
  data: DataSettings;
}

export interface OpenedClassifier {
  directory: ModelDirectory<ClassifierConfig>;
  network: Sequential;
  encoder: TextEncoder;
}

/** Opens a classifier directory written by `train`, with its network and tokenizer. */
export async function openClassifier(dir: string): Promise<OpenedClassifier> {
  const directory = await openModelDirectory<ClassifierConfig>(dir, APP_KIND);
  const { tokenizer } = directory.config;
  if (
    !tokenizer ||
    (tokenizer.kind !== 'word' && tokenizer.kind !== 'bpe') ||
    typeof tokenizer.file !== 'string'
  ) {
    throw new UsageError(`--model ${dir}: config.json has no valid "tokenizer" entry`);
  }
  const contents = await directory.readBytes(tokenizer.file);
  let encoder: TextEncoder;
  try {
    encoder = await readTextEncoder(tokenizer.kind, contents);
  } catch (error) {
    throw new UsageError(`--model ${dir}: ${tokenizer.file} is damaged (${(error as Error).message})`);
  }
  try {
    return { directory, network: await directory.loadNetwork(), encoder };
  } catch (error) {
    encoder.dispose();
    throw error;
  }
}

/** Class probabilities per text, [1 − p, p] for a sigmoid output. */
export async function predictProbabilities(
  network: Sequential,
  ids: number[][],
  batchSize = 128,
): Promise<number[][]> {
  const out = await network.predict(ids, { batchSize });
  const values = await out.data();
  const width = out.shape[1] ?? 1;
  out.dispose();
  const rows: number[][] = [];
  for (let i = 0; i < ids.length; i++) {
    if (width === 1) {
      const p = values[i];
      if (p === undefined)
        throw new Error(`predictProbabilities: ${values.length} outputs for ${ids.length} texts`);
      rows.push([1 - p, p]);
    } else rows.push(Array.from(values.subarray(i * width, (i + 1) * width)));
  }
  return rows;
}
