// Public API of src/lm: n-gram language models as scorers for CTC beam search (re-exported by the package index).
export { ArpaLanguageModel, fromArpa } from './arpa_language_model.js';
export type { ArpaOptions } from './arpa_language_model.js';
export type { LanguageModelScorer } from './language_model_scorer.js';
export { NGramLanguageModel } from './ngram_language_model.js';
export type { NGramArpaOptions, NGramTrainOptions } from './ngram_language_model.js';
export type { LanguageModelUnit } from './tokenize_text.js';
