import { SentencePieceTokenizer, Tokenizer, padSequences, trainSentencePiece } from '@rnnkit/tokenizers';

import type { ModelSettings } from './settings.js';
import { usesMask } from './model.js';

export const TOKENIZERS = ['word', 'bpe'] as const;
export type TokenizerKind = (typeof TOKENIZERS)[number];

/** The out-of-vocabulary token of masked word models: it gives an empty text one real step (index 1). */
export const OOV_TOKEN = '<unk>';
/** Id 1 reads "unknown" with both tokenizers (word: the OOV token; BPE: <unk>); id 0 is padding. */
const UNKNOWN_ID = 1;

/** Texts to token ids in [0, vocab), 0 being padding: a Keras word tokenizer or a SentencePiece BPE model. */
export interface TextEncoder {
  readonly kind: TokenizerKind;
  /** The file of the model directory it is stored in. */
  readonly fileName: string;
  sequences(texts: readonly string[]): number[][];
  /** The contents of `fileName`. */
  serialize(): string | Uint8Array;
  dispose(): void;
}

export const TOKENIZER_FILES: Record<TokenizerKind, string> = {
  word: 'tokenizer.json',
  bpe: 'tokenizer.model',
};

class WordEncoder implements TextEncoder {
  readonly kind = 'word';
  readonly fileName = TOKENIZER_FILES.word;
  constructor(readonly tokenizer: Tokenizer) {}
  sequences(texts: readonly string[]): number[][] {
    return this.tokenizer.textsToSequences(texts);
  }
  serialize(): string {
    return this.tokenizer.toJson();
  }
  dispose(): void {}
}

class BpeEncoder implements TextEncoder {
  readonly kind = 'bpe';
  readonly fileName = TOKENIZER_FILES.bpe;
  constructor(
    readonly tokenizer: SentencePieceTokenizer,
    private readonly bytes: Uint8Array,
  ) {}
  sequences(texts: readonly string[]): number[][] {
    return texts.map((text) => this.tokenizer.encode(text));
  }
  serialize(): Uint8Array {
    return this.bytes;
  }
  dispose(): void {
    this.tokenizer.dispose();
  }
}

/**
 * Fits the tokenizer on the training texts: the Keras word tokenizer keeps the `vocab` − 1 most frequent
 * words; BPE trains a SentencePiece model of `vocab` pieces with <pad> = 0 and <unk> = 1, no <s>/</s>.
 */
export async function fitTextEncoder(
  texts: readonly string[],
  settings: ModelSettings,
): Promise<TextEncoder> {
  if (settings.tokenizer === 'bpe') {
    const bytes = trainSentencePiece({
      texts,
      vocabSize: settings.vocab,
      padId: 0,
      unkId: UNKNOWN_ID,
      bosId: -1,
      eosId: -1,
    });
    return new BpeEncoder(await SentencePieceTokenizer.fromBytes(bytes), bytes);
  }
  // Pruned to the vocabulary: the same ids, and a tokenizer.json that loads in milliseconds instead of a second.
  return new WordEncoder(
    new Tokenizer({ numWords: settings.vocab, oovToken: usesMask(settings) ? OOV_TOKEN : null })
      .fitOnTexts(texts)
      .pruned(),
  );
}

/** Reads a tokenizer file written by `serialize` (errors are the tokenizers' own, for the caller to wrap). */
export async function readTextEncoder(kind: TokenizerKind, contents: Uint8Array): Promise<TextEncoder> {
  if (kind === 'bpe') return new BpeEncoder(await SentencePieceTokenizer.fromBytes(contents), contents);
  return new WordEncoder(Tokenizer.fromJson(new TextDecoder().decode(contents)));
}

/** Token ids padded (and cut) to maxLength as Keras's pad_sequences does ('pre' padding). */
export function encodeTexts(
  encoder: TextEncoder,
  texts: readonly string[],
  settings: ModelSettings,
): number[][] {
  const sequences = encoder.sequences(texts);
  // A masked model needs one real step per row: an empty text reads as one unknown token.
  if (usesMask(settings))
    sequences.forEach((sequence, i) => {
      if (sequence.length === 0) sequences[i] = [UNKNOWN_ID];
    });
  return padSequences(sequences, { maxLength: settings.maxLength, truncating: settings.truncating });
}
