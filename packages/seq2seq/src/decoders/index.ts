// The CTC decoders' public names; the package index re-exports them.
export { ctcGreedyDecode } from './ctc_greedy_decode.js';
export type { CtcGreedyDecodeOptions, CtcGreedyResult } from './ctc_greedy_decode.js';
export { ctcPrefixBeamSearch } from './ctc_prefix_beam_search.js';
export { CtcStreamingDecoder } from './ctc_streaming_decoder.js';
export type { CtcBeamSearchOptions, CtcHypothesis } from './ctc_beam_search_options.js';
export type { CtcDecoderLengths, CtcDecoderLogProbs, CtcLogProbsArray } from './ctc_decoder_input.js';
