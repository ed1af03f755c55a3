import { Tokenizer, padSequences } from '@rnnkit/tokenizers';

import type { ModelSettings } from './settings.js';
import { usesMask } from './model.js';

/** The out-of-vocabulary token of masked models: it gives an empty text one real step (index 1). */
export const OOV_TOKEN = '<unk>';

/** A Keras word tokenizer fitted on the training texts, keeping the `vocab` − 1 most frequent words. */
export function fitTokenizer(texts: readonly string[], settings: ModelSettings): Tokenizer {
  return new Tokenizer({ numWords: settings.vocab, oovToken: usesMask(settings) ? OOV_TOKEN : null }).fitOnTexts(texts);
}

/** Token ids padded (and cut) to maxLength as Keras's pad_sequences does ('pre' padding). */
export function encodeTexts(tokenizer: Tokenizer, texts: readonly string[], settings: ModelSettings): number[][] {
  const sequences = tokenizer.textsToSequences(texts);
  // A masked model needs one real step per row: an empty text reads as one unknown word.
  if (usesMask(settings)) for (let i = 0; i < sequences.length; i++) if (sequences[i]!.length === 0) sequences[i] = [1];
  return padSequences(sequences, { maxLength: settings.maxLength, truncating: settings.truncating });
}
