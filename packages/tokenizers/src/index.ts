// Public API of @rnnkit/tokenizers: Keras-style word tokenizer, character vocabularies, SentencePiece loading and training.
export { Tokenizer } from './word/tokenizer.js';
export type { TokenizerOptions, TokenizerInput } from './word/tokenizer.js';
export { textToWordSequence, KERAS_DEFAULT_FILTERS } from './word/text_to_word_sequence.js';
export type { TextToWordSequenceOptions } from './word/text_to_word_sequence.js';
export { padSequences } from './word/pad_sequences.js';
export type { PadSequencesOptions } from './word/pad_sequences.js';

export { SentencePieceTokenizer } from './sentencepiece/sentencepiece_tokenizer.js';
export type { EncodeOptions } from './sentencepiece/sentencepiece_tokenizer.js';
export { SentencePieceBpeEncoder } from './sentencepiece/bpe_encoder.js';
export { trainSentencePiece } from './sentencepiece/train_sentencepiece.js';
export type {
  TrainSentencePieceOptions,
  TrainSentencePieceProgress,
} from './sentencepiece/train_sentencepiece.js';
export { decodeModelProto, encodeModelProto } from './sentencepiece/model_proto.js';
export type {
  ModelProto,
  SentencePieceEntry,
  PieceType,
  ModelType,
  TrainerSpec,
  NormalizerSpec,
} from './sentencepiece/model_proto.js';

export { CharVocabulary } from './char/char_vocabulary.js';
export type {
  CharVocabularyOptions,
  CharVocabularyJson,
  CharEncodeOptions,
  CharDecodeOptions,
  SpecialToken,
  UnicodeNormalization,
  UnknownCharPolicy,
} from './char/char_vocabulary.js';

export { padBatch, encodeBatch } from './batch/encode_batch.js';
export type { PadBatchOptions, PaddedBatch, EncodedBatch, TextToIds } from './batch/encode_batch.js';
