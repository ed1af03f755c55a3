// Public API of @rnnkit/seq2seq: attention, CTC loss and decoders, n-gram language models, BLEU/chrF/WER/CER.
export * from './attention/index.js';
export * from './model/index.js';
export * from './decoding/index.js';

export { ctcLoss } from './ctc/ctc_loss.js';
export type { CtcLengths, CtcLossOptions, CtcReduction } from './ctc/ctc_arguments.js';
export type { CtcLossResult } from './ctc/reduce_losses.js';

export * from './decoders/index.js';
export * from './lm/index.js';

export { corpusBleu, sentenceBleu } from './metrics/bleu.js';
export type { BleuOptions, BleuScore, BleuSmoothMethod } from './metrics/bleu.js';
export { bleuTokenize } from './metrics/bleu_tokenizers.js';
export type { BleuTokenizer } from './metrics/bleu_tokenizers.js';
export { corpusChrf, sentenceChrf } from './metrics/chrf.js';
export type { ChrfOptions, ChrfScore } from './metrics/chrf.js';
export { SACREBLEU_VERSION } from './metrics/sacrebleu_version.js';
export { wordErrorRate, charErrorRate } from './metrics/error_rate.js';
export type { ErrorRateOptions, ErrorRateResult } from './metrics/error_rate.js';
export { editAlignment } from './metrics/edit_alignment.js';
export type { AlignmentChunk, EditAlignment, EditOperation } from './metrics/edit_alignment.js';
export type { TranscriptNormalization } from './metrics/transcript_normalization.js';
