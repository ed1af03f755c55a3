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
  DecoderMemory,
} from './attention_decoder.js';
export { sequenceCrossEntropy } from './sequence_cross_entropy.js';
export type { SequenceCrossEntropyOptions } from './sequence_cross_entropy.js';
