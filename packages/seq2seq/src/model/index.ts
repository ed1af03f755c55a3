// The RNN encoder-decoder with attention (src/model).
export { Seq2SeqEncoder } from './seq2seq_encoder.js';
export type {
  DecoderState,
  EncoderBridge,
  Seq2SeqCell,
  Seq2SeqEncoderOptions,
  Seq2SeqEncoderOutput,
} from './seq2seq_encoder.js';
export { AttentionDecoder } from './attention_decoder.js';
export type {
  AttentionDecoderOptions,
  AttentionDecoderOutput,
  DecoderAttention,
  DecoderKeys,
  DecoderMemory,
  DecoderStepOutput,
  DecoderStepState,
} from './attention_decoder.js';
export { Seq2Seq } from './seq2seq.js';
export type { Seq2SeqConfig, Seq2SeqOptions, Seq2SeqOutput } from './seq2seq.js';
export type { Seq2SeqArtifacts, Seq2SeqArtifactsConfig } from './seq2seq_artifacts.js';
export { sequenceCrossEntropy } from './sequence_cross_entropy.js';
export type { SequenceCrossEntropyOptions } from './sequence_cross_entropy.js';
