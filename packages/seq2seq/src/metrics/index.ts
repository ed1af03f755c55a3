// The metrics of @rnnkit/seq2seq: BLEU and chrF as sacreBLEU 2.x computes them, WER/CER with alignments.
export { corpusBleu, sentenceBleu, BLEU_SMOOTH_METHODS } from './bleu.js';
export type { BleuOptions, BleuScore, BleuSmoothMethod } from './bleu.js';
export { bleuTokenize, BLEU_TOKENIZERS } from './bleu_tokenizers.js';
export type { BleuTokenizer } from './bleu_tokenizers.js';
export { corpusChrf, sentenceChrf } from './chrf.js';
export type { ChrfOptions, ChrfScore } from './chrf.js';
export { SACREBLEU_VERSION } from './sacrebleu_version.js';
export { wordErrorRate, charErrorRate } from './error_rate.js';
export type { ErrorRateOptions, ErrorRateResult } from './error_rate.js';
export { editAlignment, MAX_ALIGNMENT_CELLS } from './edit_alignment.js';
export type { AlignmentChunk, EditAlignment, EditOperation } from './edit_alignment.js';
export type { TranscriptNormalization } from './transcript_normalization.js';
