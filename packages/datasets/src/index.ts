// Public API of @rnnkit/datasets: data set loaders (IMDB, SpamAssassin, Tatoeba...), embedded offline defaults and batching.
export * from './batching/index.js';

export { DatasetFormatError } from './io/dataset_format_error.js';
export { readLines } from './io/read_lines.js';
export type { NumberedLine } from './io/read_lines.js';
export { readJsonl } from './io/read_jsonl.js';
export type { JsonlRecord } from './io/read_jsonl.js';

export { readNpy, npyToNumbers } from './numpy/read_npy.js';
export type { NpyArray, NpyData } from './numpy/read_npy.js';
export { readNpz } from './numpy/read_npz.js';

export { loadAclImdb, streamAclImdb } from './text/acl_imdb.js';
export type { ImdbReview, AclImdbOptions, LoadAclImdbOptions, AclImdbSplit } from './text/acl_imdb.js';
export {
  loadKerasImdb,
  loadKerasImdbWordIndex,
  invertKerasImdbWordIndex,
  decodeKerasImdb,
} from './text/keras_imdb.js';
export type {
  KerasImdbOptions,
  KerasImdbData,
  KerasImdbSplit,
  DecodeKerasImdbOptions,
} from './text/keras_imdb.js';
export { loadTextLabelFile, parseTextLabelFile } from './text/text_label_file.js';
export type {
  TextLabelFileOptions,
  TextLabelExample,
  TextLabelData,
  TextLabelFormat,
} from './text/text_label_file.js';
export { loadSpamAssassin, SPAM_ASSASSIN_LABELS } from './text/spam_assassin.js';
export type { SpamAssassinEmail, SpamAssassinGroup, SpamAssassinOptions } from './text/spam_assassin.js';
export type { TextToIds, EncodedExample, EncodeTextsOptions } from './text/encode.js';
export { encodeTexts } from './text/encode.js';

export { normalizeText } from './translation/normalize_text.js';
export type { TextNormalization } from './translation/normalize_text.js';
export { loadTabSeparatedPairs, streamTabSeparatedPairs } from './translation/tab_separated_pairs.js';
export type {
  TranslationPair,
  TabSeparatedPairsOptions,
  TabSeparatedPairsStats,
} from './translation/tab_separated_pairs.js';
export { generateNumberPhrases, pairsToTsv } from './translation/number_phrases.js';
export type {
  NumberLanguage,
  NumberSpeller,
  NumberPair,
  NumberPhrasesOptions,
} from './translation/number_phrases.js';

export type { SpeechExample } from './speech/speech_example.js';
export { readAudioBytes } from './speech/speech_example.js';
export { loadSpeechManifest, streamSpeechManifest } from './speech/speech_manifest.js';
export type { SpeechManifestOptions } from './speech/speech_manifest.js';
export { loadLJSpeech } from './speech/ljspeech.js';
export type { LJSpeechOptions } from './speech/ljspeech.js';
export { createEspeakSynthesizer } from './speech/espeak_synthesizer.js';
export type { EspeakSynthesizer, EspeakVoiceSettings } from './speech/espeak_synthesizer.js';
export {
  synthesizeSpokenCorpus,
  synthesizeSpokenDigits,
  addNoiseAtSnr,
  digitStringTexts,
} from './speech/spoken_corpus.js';
export type {
  SpokenCorpusOptions,
  SpokenExample,
  SpokenDigitsOptions,
  DigitStringOptions,
} from './speech/spoken_corpus.js';
export { createFliteSynthesizer } from './speech/flite_synthesizer.js';
